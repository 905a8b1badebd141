DELETE DATA { <https://w3id.org/dckg/id/area/beta> dckg:adminCodeSource <https://w3id.org/dckg/id/dataset/test-codes> }
