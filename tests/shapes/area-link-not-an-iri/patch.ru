INSERT DATA { <https://w3id.org/dckg/id/area/beta> skos:exactMatch "Q0" }
