INSERT DATA { <https://w3id.org/dckg/id/source/test-report> dcterms:title "Test Report" }
