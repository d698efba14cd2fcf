"""The vocabulary of the synthetic province: bodies, places, people, plan tasks.

Only `synth.py` uses it. Every name here is a plausible Vietnamese name for a
fictitious province; nothing in it describes a real body's figures.
"""
from __future__ import annotations

import unicodedata

NOTICE_VI = ("Dữ liệu mô phỏng: toàn bộ đơn vị, báo cáo, kế hoạch và số liệu trên trang này được tạo "
             "tự động để thử nghiệm phần mềm. Đây không phải số liệu thật của bất kỳ cơ quan nào.")
NOTICE_EN = ("Synthetic data: every body, report, plan and figure of this site was generated to test the "
             "software. None of it is any real body's data.")

# (id, name_vi, name_en, short_name). Province-level bodies, the "Sở" first. The bodies that take
# part in mergers come early, so even a small province has one.
DEPARTMENTS = (
    ("stp", "Sở Tư pháp", "Department of Justice", "STP"),
    ("stnmt", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment", "STNMT"),
    ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development",
     "SNNPTNT"),
    ("stttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications", "STTTT"),
    ("skhcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN"),
    ("sgtvt", "Sở Giao thông vận tải", "Department of Transport", "SGTVT"),
    ("sxd", "Sở Xây dựng", "Department of Construction", "SXD"),
    ("sldtbxh", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs",
     "SLĐTBXH"),
    ("snv", "Sở Nội vụ", "Department of Home Affairs", "SNV"),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "SKHĐT"),
    ("stc", "Sở Tài chính", "Department of Finance", "STC"),
    ("sct", "Sở Công Thương", "Department of Industry and Trade", "SCT"),
    ("sgddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "SGDĐT"),
    ("syt", "Sở Y tế", "Department of Health", "SYT"),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "SVHTTDL"),
    ("sngv", "Sở Ngoại vụ", "Department of Foreign Affairs", "SNgV"),
    ("ttt", "Thanh tra tỉnh", "Provincial Inspectorate", "TTT"),
    ("vpubnd", "Văn phòng UBND tỉnh", "Office of the Provincial People's Committee", "VPUBND"),
    ("bdt", "Ban Dân tộc", "Ethnic Minorities Committee", "BDT"),
    ("bqlkcn", "Ban Quản lý các Khu công nghiệp", "Industrial Zones Authority", "BQLKCN"),
    ("dptth", "Đài Phát thanh và Truyền hình", "Provincial Radio and Television", "ĐPTTH"),
    ("bqlda", "Ban Quản lý dự án đầu tư xây dựng tỉnh", "Provincial Construction Project Management Board",
     "BQLDA"),
    ("tthcc", "Trung tâm Phục vụ hành chính công", "Public Administration Service Centre", "TTPVHCC"),
    ("tcd", "Trường Cao đẳng Cộng đồng", "Community College", "TCĐCĐ"),
    ("vpdbdd", "Văn phòng Đăng ký đất đai", "Land Registration Office", "VPĐKĐĐ"),
    ("cckl", "Chi cục Kiểm lâm", "Forest Protection Sub-department", "CCKL"),
    ("ccts", "Chi cục Thủy sản", "Fisheries Sub-department", "CCTS"),
    ("bhxh", "Trung tâm Dịch vụ việc làm", "Employment Service Centre", "TTDVVL"),
    ("ttyt", "Trung tâm Kiểm soát bệnh tật", "Centre for Disease Control", "CDC"),
    ("ttkn", "Trung tâm Khuyến nông", "Agricultural Extension Centre", "TTKN"),
)

# Bodies established when another is merged away: they take over its place in the province.
NEW_BODIES = (
    ("sdttg", "Sở Dân tộc và Tôn giáo", "Department of Ethnic and Religious Affairs", "SDTTG"),
    ("bqlkkt", "Ban Quản lý Khu kinh tế", "Economic Zone Authority", "BQLKKT"),
    ("ttxtdt", "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "Investment, Trade and Tourism Promotion Centre",
     "TTXTĐT"),
    ("vpdpntm", "Văn phòng Điều phối nông thôn mới", "New Rural Development Coordination Office", "VPĐPNTM"),
    ("ttcds", "Trung tâm Chuyển đổi số", "Digital Transformation Centre", "TTCĐS"),
)

# (first, second, successor): both close; the successor is new (a merger into a new body) or, when it is
# the ID of the second, the second absorbs the first and goes on.
MERGERS = (
    ("stnmt", "snnptnt", ("snnmt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment",
                          "SNNMT")),
    ("stttt", "skhcn", "skhcn"),
    ("sgtvt", "sxd", "sxd"),
    ("sldtbxh", "snv", "snv"),
    ("skhdt", "stc", "stc"),
)

# District-level units: "UBND huyện <place>"; a rename makes a district a town ("thị xã").
PLACES = (
    "Mỹ Tú", "Châu Thành", "Kế Sách", "Long Phú", "Cù Lao Dung", "Mỹ Xuyên", "Thạnh Trị", "Trần Đề",
    "Ngã Năm", "Vĩnh Châu", "Phú Tân", "Tân Phú", "Long Hồ", "Tam Bình", "Trà Ôn", "Vũng Liêm", "Mang Thít",
    "Bình Minh", "Cái Nước", "Đầm Dơi", "Năm Căn", "Ngọc Hiển", "Thới Bình", "U Minh", "Trần Văn Thời",
    "Hồng Dân", "Phước Long", "Giá Rai", "Đông Hải", "Hòa Bình", "Vĩnh Lợi", "Phụng Hiệp", "Long Mỹ",
    "Vị Thủy", "Châu Phú", "Thoại Sơn", "Tri Tôn", "Tịnh Biên", "An Phú", "Chợ Mới", "Lai Vung", "Lấp Vò",
    "Tháp Mười", "Tam Nông", "Thanh Bình", "Cao Lãnh", "Cầu Kè", "Tiểu Cần", "Cầu Ngang", "Trà Cú",
    "Duyên Hải", "Càng Long", "Mỏ Cày", "Giồng Trôm", "Ba Tri", "Thạnh Phú", "Chợ Lách", "Bình Đại",
    "Gò Công", "Cái Bè",
)

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương",
                "Lý", "Thạch", "Lâm")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Ngọc", "Thanh", "Hoàng", "Quốc", "Hữu", "Kim", "Thành")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng", "Lan", "Linh",
               "Long", "Mai", "Nam", "Nga", "Phúc", "Phương", "Quang", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
               "Vy", "Khánh", "Duy", "Thư")

# Units named in plans' lead and partner cells, by kind of body: (id, name_vi, short_vi).
UNITS = {
    "department": (("vp", "Văn phòng Sở", "Văn phòng"), ("tccb", "Phòng Tổ chức cán bộ", "Phòng TCCB"),
                   ("thanh-tra", "Thanh tra Sở", "Thanh tra"), ("kh-tc", "Phòng Kế hoạch - Tài chính", "Phòng KH-TC"),
                   ("nghiep-vu", "Phòng Quản lý chuyên ngành", "Phòng QLCN")),
    "district": (("vp", "Văn phòng HĐND và UBND", "Văn phòng HĐND-UBND"), ("noi-vu", "Phòng Nội vụ", "Phòng Nội vụ"),
                 ("tu-phap", "Phòng Tư pháp", "Phòng Tư pháp"), ("tc-kh", "Phòng Tài chính - Kế hoạch", "Phòng TC-KH"),
                 ("mot-cua", "Bộ phận Một cửa", "Bộ phận Một cửa")),
}
PARTNERS = ("Các đơn vị thuộc và trực thuộc", "Các phòng chuyên môn", "Các đơn vị có liên quan",
            "Các cá nhân, đơn vị có liên quan", "Sở Nội vụ")

# Plan tasks by area: (task, product).
TASKS = {
    "I": (("Xây dựng kế hoạch CCHC năm {year}", "Kế hoạch CCHC năm {year}"),
          ("Thực hiện báo cáo định kỳ công tác CCHC theo quy định", "Báo cáo quý, 6 tháng, năm"),
          ("Xây dựng và tổ chức thực hiện kế hoạch tuyên truyền CCHC năm {year}",
           "Kế hoạch và báo cáo kết quả tuyên truyền"),
          ("Kiểm tra công tác CCHC tại các đơn vị trực thuộc", "Kế hoạch và báo cáo kết quả kiểm tra"),
          ("Gắn công tác CCHC với thi đua, khen thưởng", "Quyết định khen thưởng"),
          ("Khảo sát sự hài lòng của người dân, tổ chức", "Báo cáo kết quả khảo sát"),
          ("Sáng kiến, giải pháp mới trong CCHC", "Thuyết minh, báo cáo hiệu quả sáng kiến")),
    "II": (("Rà soát văn bản quy phạm pháp luật thuộc lĩnh vực quản lý", "Báo cáo kết quả rà soát"),
           ("Tham mưu xây dựng văn bản quy phạm pháp luật theo chương trình", "Dự thảo văn bản QPPL"),
           ("Phổ biến, giáo dục pháp luật cho cán bộ, công chức", "Kế hoạch và báo cáo phổ biến pháp luật"),
           ("Theo dõi thi hành pháp luật trong lĩnh vực quản lý", "Báo cáo theo dõi thi hành pháp luật")),
    "III": (("Rà soát, đơn giản hóa thủ tục hành chính", "Kế hoạch và báo cáo rà soát TTHC"),
            ("Công bố, công khai thủ tục hành chính đúng quy định", "Quyết định công bố TTHC"),
            ("Thực hiện cơ chế một cửa, một cửa liên thông", "Báo cáo kết quả giải quyết hồ sơ"),
            ("Tiếp nhận, xử lý phản ánh, kiến nghị về TTHC", "Báo cáo kết quả xử lý phản ánh"),
            ("Xây dựng quy trình nội bộ giải quyết TTHC", "Quyết định phê duyệt quy trình nội bộ")),
    "IV": (("Rà soát chức năng, nhiệm vụ, cơ cấu tổ chức", "Báo cáo rà soát tổ chức bộ máy"),
           ("Sắp xếp, tinh gọn đơn vị sự nghiệp công lập", "Đề án sắp xếp"),
           ("Kiểm tra việc thực hiện nhiệm vụ được phân cấp", "Báo cáo kết quả kiểm tra")),
    "V": (("Rà soát vị trí việc làm và bản mô tả công việc", "Quyết định phê duyệt vị trí việc làm"),
          ("Đào tạo, bồi dưỡng cán bộ, công chức, viên chức", "Kế hoạch đào tạo, bồi dưỡng"),
          ("Chuyển đổi vị trí công tác theo quy định", "Quyết định chuyển đổi vị trí công tác"),
          ("Tăng cường kỷ luật, kỷ cương hành chính", "Báo cáo kết quả thực hiện")),
    "VI": (("Thực hiện cơ chế tự chủ tài chính", "Báo cáo tình hình tự chủ"),
           ("Xây dựng, sửa đổi quy chế chi tiêu nội bộ", "Quy chế chi tiêu nội bộ"),
           ("Quản lý, sử dụng tài sản công đúng quy định", "Báo cáo kiểm kê tài sản")),
    "VII": (("Triển khai kế hoạch chuyển đổi số năm {year}", "Kế hoạch chuyển đổi số"),
            ("Gửi, nhận văn bản điện tử có ký số", "Báo cáo tỷ lệ văn bản điện tử"),
            ("Cung cấp dịch vụ công trực tuyến toàn trình", "Danh mục dịch vụ công trực tuyến"),
            ("Duy trì, cải tiến hệ thống quản lý chất lượng ISO", "Quyết định công bố hệ thống ISO"),
            ("Thanh toán trực tuyến nghĩa vụ tài chính trong giải quyết TTHC",
             "Báo cáo kết quả thanh toán trực tuyến")),
}

# Time frames as the province's plans write them (see data/sgddt/plan-2023.yaml), by the quarter they fall due.
TIME_FRAMES = (
    ("Trong tháng 12 năm {prev}", 0),
    ("Quý I năm {year}", 1),
    ("Kế hoạch ban hành trong quý I/{year}; báo cáo hàng quý.", 4),
    ("Kế hoạch ban hành trong quý I/{year}; báo cáo tháng 12 năm {year}.", 4),
    ("Kế hoạch ban hành trong quý I/{year}; báo cáo cuối năm {year}.", 4),
    ("Trong năm {year}", 4),
    ("Tháng 12 năm {year}", 4),
    ("Tháng 12/{year}", 4),
    ("Thường xuyên", 5),
)

NARRATIVE = (
    "Trong kỳ, đơn vị tiếp tục quán triệt các văn bản chỉ đạo của UBND tỉnh về cải cách hành chính và "
    "triển khai kế hoạch năm theo tiến độ.",
    "Việc tiếp nhận, giải quyết hồ sơ thủ tục hành chính được thực hiện qua Bộ phận Một cửa; tỷ lệ hồ sơ "
    "trực tuyến tiếp tục tăng.",
    "Khó khăn: một số nhiệm vụ phụ thuộc hướng dẫn của cơ quan cấp trên nên chưa hoàn thành đúng hạn.",
    "Đề xuất: tăng cường tập huấn sử dụng hệ thống thông tin giải quyết thủ tục hành chính cho công chức.",
)


def ascii_slug(text: str) -> str:
    """'Cù Lao Dung' -> 'cu-lao-dung': lower-case ASCII, words joined by '-'."""
    folded = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    plain = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    return "-".join("".join(c if c.isalnum() else " " for c in plain).split())
