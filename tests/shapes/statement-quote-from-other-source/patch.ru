INSERT DATA { <https://w3id.org/dckg/id/source/other> a dckg:Report ;
rdfs:label "Other"@en, "其他"@zh ;
schema:publisher <https://w3id.org/dckg/id/org/test-office> ;
dcterms:license <https://creativecommons.org/licenses/by/4.0/> ;
schema:inLanguage "zh" } ;
DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> prov:wasDerivedFrom <https://w3id.org/dckg/id/source/test-report> } ;
INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/plan-first-year> prov:wasDerivedFrom <https://w3id.org/dckg/id/source/other> }
