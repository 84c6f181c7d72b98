// The Responses surface of the gateway (PRODUCT §2.1): POST /v1/responses and
// /openai/v1/responses, translated to whatever API the routed provider speaks.
import { createInferenceHandler } from "../../pipeline/handle-inference";
import { adapterFor } from "../../providers/registry";
import { openaiResponsesCodec } from "./responses-codec";

export const handleOpenAIResponses = createInferenceHandler({
  codec: openaiResponsesCodec,
  requestType: (stream) => (stream ? "responses_stream" : "responses"),
  adapterFor,
});
