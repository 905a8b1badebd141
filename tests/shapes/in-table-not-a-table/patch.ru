INSERT DATA { id:statement/test-report/widgets-2021 dckg:inTable id:area/alpha }
