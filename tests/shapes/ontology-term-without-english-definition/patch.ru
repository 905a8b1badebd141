DELETE { dckg:Period skos:definition ?d } WHERE { dckg:Period skos:definition ?d FILTER(lang(?d) = "en") }
