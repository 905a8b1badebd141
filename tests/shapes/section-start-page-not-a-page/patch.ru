DELETE DATA { id:section/test-report/ch-1 dckg:startPage "1"^^xsd:positiveInteger } ;
INSERT DATA { id:section/test-report/ch-1 dckg:startPage "one" }
