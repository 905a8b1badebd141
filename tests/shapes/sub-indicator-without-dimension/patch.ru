DELETE DATA { <https://w3id.org/dckg/id/dimension/gadget-coverage> skos:broader <https://w3id.org/dckg/id/dimension/gadgets> }
