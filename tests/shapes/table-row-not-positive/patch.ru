INSERT DATA { id:statement/test-report/widgets-2021 dckg:tableRow "0"^^xsd:integer }
