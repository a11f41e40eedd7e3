package i18n

// Dutch for the strict decoding of API requests (issue 11).
func init() {
	Add(map[string]string{
		"the file is not a readable PDF":                  "het bestand is geen leesbare PDF",
		"search with at most %d characters":               "zoek met hoogstens %d tekens",
		"search with at most %d words":                    "zoek met hoogstens %d woorden",
		"the query string could not be read":              "de zoekparameters konden niet worden gelezen",
		"a whole number from %d to %d is expected":        "een geheel getal van %d tot en met %d wordt verwacht",
		"send the file as text/csv":                       "stuur het bestand als text/csv",
		"send the body as application/json":               "stuur de inhoud als application/json",
		"the request body could not be read":              "de aanvraag kon niet worden gelezen",
		"the request is larger than %d MiB":               "de aanvraag is groter dan %d MiB",
		"the request is larger than %d KiB":               "de aanvraag is groter dan %d KiB",
		"the request body is empty":                       "de aanvraag is leeg",
		"the request body holds more than one JSON value": "de aanvraag bevat meer dan één JSON-waarde",
		"the request body must not be null":               "de aanvraag mag niet null zijn",
		"the request body must be a JSON object":          "de aanvraag moet een JSON-object zijn",
		"the field appears more than once":                "het veld komt meer dan eens voor",
		"this field is required":                          "dit veld is verplicht",
		"at most %d items":                                "hoogstens %d elementen",
		"the text is not valid UTF-8":                     "de tekst is geen geldige UTF-8",
		"the text contains a NUL character":               "de tekst bevat een NUL-teken",
		"at most %d characters":                           "hoogstens %d tekens",
		"a whole number is expected":                      "een geheel getal wordt verwacht",
		"a number from %s to %s is expected":              "een getal van %s tot en met %s wordt verwacht",
		"not a valid value":                               "geen geldige waarde",
		"not a valid date (use YYYY-MM-DD or DD-MM-YYYY)": "geen geldige datum (gebruik JJJJ-MM-DD of DD-MM-JJJJ)",
		"true or false is expected":                       "true of false wordt verwacht",
		"no Dutch postcode ends in SA, SD or SS":          "geen Nederlandse postcode eindigt op SA, SD of SS",
		"no such data category here; medical data and limitations are under /limitations": "deze gegevenscategorie bestaat hier niet; medische gegevens en beperkingen staan onder /limitations",
	})
}
