DELETE { dckg:member skos:definition ?d } WHERE { dckg:member skos:definition ?d FILTER(lang(?d) = "zh") }
