INSERT DATA { id:statement/test-report/alpha-widgets-rank dckg:inSection id:section/test-report/ch-1 }
