// Validates an OpenAPI document with @apidevtools/swagger-parser (schema
// and $ref checks, OpenAPI 3.1 included). Usage: node validate.js FILE
const SwaggerParser = require("@apidevtools/swagger-parser");
SwaggerParser.validate(process.argv[2])
  .then(api => console.log("valid:", Object.keys(api.paths).length, "paths"))
  .catch(e => { console.error(e.message); process.exit(1); });
