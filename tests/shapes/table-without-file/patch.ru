INSERT DATA { id:table/t a dckg:StatisticalTable ; rdfs:label "T"@en, "表"@zh ; prov:wasDerivedFrom id:source/test-report }
