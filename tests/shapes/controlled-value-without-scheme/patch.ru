INSERT DATA { <https://w3id.org/dckg/id/qualifier/roughly> a dckg:ValueQualifier ;
    rdfs:label "roughly"@en, "大约"@zh }
