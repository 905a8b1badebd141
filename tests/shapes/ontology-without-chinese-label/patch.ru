DELETE DATA { <https://w3id.org/dckg/ontology> rdfs:label "数字中国知识图谱本体"@zh }
