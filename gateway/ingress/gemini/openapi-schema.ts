// Gemini's `Schema` (the OpenAPI 3.0 subset of functionDeclarations.parameters and
// generationConfig.responseSchema) → JSON Schema, the canonical model's tool and output
// schema language. The differences that matter to other providers: type names are upper case
// ("OBJECT"), `nullable: true` instead of a "null" type, and `propertyOrdering`, which JSON
// Schema has not (dropped: other providers keep the order properties are written in).
import type { Json } from "../../providers/gemini/gemini-wire";
import { isJsonObject } from "../../providers/gemini/gemini-wire";

function typeName(type: unknown): string | undefined {
  if (typeof type !== "string" || type === "" || type.toUpperCase() === "TYPE_UNSPECIFIED") return undefined;
  return type.toLowerCase();
}

export function openApiToJsonSchema(schema: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(schema)) {
    switch (key) {
      case "type":
      case "nullable":
      case "propertyOrdering":
        break;
      case "properties":
        if (isJsonObject(value)) out.properties = Object.fromEntries(Object.entries(value).map(([name, s]) => [name, isJsonObject(s) ? openApiToJsonSchema(s) : s]));
        break;
      case "items":
        out.items = isJsonObject(value) ? openApiToJsonSchema(value) : value;
        break;
      case "anyOf":
        out.anyOf = Array.isArray(value) ? value.map((s) => (isJsonObject(s) ? openApiToJsonSchema(s) : s)) : value;
        break;
      default:
        out[key] = value;
    }
  }
  const type = typeName(schema.type);
  if (type !== undefined) out.type = schema.nullable === true ? [type, "null"] : type;
  return out;
}
