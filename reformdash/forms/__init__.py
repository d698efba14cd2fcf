"""The form a reporting body is sent to fill in (`build.py form`, `build.py forms`).

layout.py lays out the rows of the body's form version for a period, with its
own earlier figures for reference; form_xlsx.py and form_docx.py write it as an
Excel workbook or a Word document. Both carry each row's indicator ID and the
department, period and form version in hidden places, so that a returned form
is read back exactly (importers/returned_form.py), with no matching of labels.
"""
