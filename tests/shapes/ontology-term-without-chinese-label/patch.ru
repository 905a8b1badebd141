DELETE DATA { dckg:adminCode rdfs:label "行政区划代码"@zh }
