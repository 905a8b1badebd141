INSERT DATA { <https://w3id.org/dckg/id/area/gamma> a dckg:CountyLevelDivision ;
rdfs:label "Gamma"@en, "丙县"@zh ;
dckg:divisionType dckg:County ;
dckg:adminCodeSource <https://w3id.org/dckg/id/dataset/test-codes> ;
dckg:adminCode "990100" ;
dckg:parentArea <https://w3id.org/dckg/id/area/alpha-city> }
