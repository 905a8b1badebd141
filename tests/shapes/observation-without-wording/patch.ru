DELETE { <https://w3id.org/dckg/id/statement/test-report/widgets-2021> dckg:originalWording ?w } WHERE { <https://w3id.org/dckg/id/statement/test-report/widgets-2021> dckg:originalWording ?w }
