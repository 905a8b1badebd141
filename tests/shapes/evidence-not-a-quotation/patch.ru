INSERT DATA { id:statement/test-report/plan-first-year dckg:evidence id:area/alpha }
