DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:indicator <https://w3id.org/dckg/id/indicator/widget-share> }
