DELETE { <https://w3id.org/dckg/id/period/2021-2025> dckg:startDate ?d } WHERE { <https://w3id.org/dckg/id/period/2021-2025> dckg:startDate ?d }
