INSERT DATA { id:section/test-report/ch-1 dckg:sectionNumber "二、" }
