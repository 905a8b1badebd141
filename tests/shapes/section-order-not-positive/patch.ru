DELETE DATA { id:section/test-report/ch-1 dckg:sectionOrder "1"^^xsd:positiveInteger } ;
INSERT DATA { id:section/test-report/ch-1 dckg:sectionOrder "0"^^xsd:integer }
