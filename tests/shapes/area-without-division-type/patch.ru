DELETE { <https://w3id.org/dckg/id/area/beta> dckg:divisionType ?t } WHERE { <https://w3id.org/dckg/id/area/beta> dckg:divisionType ?t }
