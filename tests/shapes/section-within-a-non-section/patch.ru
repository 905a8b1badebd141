DELETE DATA { id:section/test-report/ch-1-1 dckg:subsectionOf id:section/test-report/ch-1 } ;
INSERT DATA { id:section/test-report/ch-1-1 dckg:subsectionOf id:source/test-report }
