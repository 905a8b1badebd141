DELETE DATA { <https://w3id.org/dckg/id/source/test-report> schema:inLanguage "zh" } ;
INSERT DATA { <https://w3id.org/dckg/id/source/test-report> schema:inLanguage <https://w3id.org/dckg/id/lang/zh> }
