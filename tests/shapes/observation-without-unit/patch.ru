DELETE DATA { <https://w3id.org/dckg/id/statement/test-report/widget-share-2021> dckg:unit unit:PERCENT }
