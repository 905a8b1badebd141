INSERT DATA { <https://w3id.org/dckg/id/source/test-report> dckg:textExtraction "other.txt" }
