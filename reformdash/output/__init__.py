"""Writing the site: charts, HTML, the search index, feeds, and the atomic swap of site/."""
