DELETE DATA { id:section/test-report/ch-1 rdfs:label "部件"@zh }
