INSERT DATA { <https://w3id.org/dckg/id/dimension/gadget-coverage> dckg:keyElements "plain" }
