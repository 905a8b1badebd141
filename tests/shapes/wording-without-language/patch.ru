INSERT DATA { id:statement/test-report/widgets-2021 dckg:originalWording "142.5 wan" }
