INSERT DATA { <https://w3id.org/dckg/id/statement/test-report/widgets-2021> dckg:timeWording "by the end of 2021" }
