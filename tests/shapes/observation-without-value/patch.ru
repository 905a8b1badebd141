DELETE { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:value ?v } WHERE { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:value ?v }
