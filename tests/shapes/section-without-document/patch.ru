DELETE DATA { id:section/test-report/ch-1 dckg:sectionOfDocument id:source/test-report }
