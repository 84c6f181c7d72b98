// Reads the recorded wire samples in __fixtures__/ (JSON bodies and SSE transcripts).
import { readFileSync } from "node:fs";

export function fixtureText(name: string): string {
  return readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), "utf8");
}

export function fixtureJson(name: string): unknown {
  return JSON.parse(fixtureText(name));
}
