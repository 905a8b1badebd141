INSERT DATA { <https://w3id.org/dckg/id/dimension/gadgets> dckg:scored false }
