INSERT DATA { <https://w3id.org/dckg/id/quote/test-report/q577247124a89> dckg:printedPage "2" }
