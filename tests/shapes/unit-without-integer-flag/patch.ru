DELETE { <https://w3id.org/dckg/id/unit/rank> dckg:integerValued ?f } WHERE { <https://w3id.org/dckg/id/unit/rank> dckg:integerValued ?f }
