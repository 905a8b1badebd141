DELETE DATA { <https://w3id.org/dckg/id/source/test-report> schema:inLanguage "zh" }
