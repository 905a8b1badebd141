INSERT DATA { id:table/t a dckg:StatisticalTable ; rdfs:label "T"@en, "表"@zh ; dckg:tableFile "data/tables/t.csv" }
