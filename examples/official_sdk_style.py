"""Written as a user of the official inference-gateway 0.22.0 SDK writes it: Responses, a
streamed Messages answer and Images. It runs unchanged on that SDK and on this one
(tests/bundled/sdk/test_official_style.py runs it with both against the fake gateway).

``python examples/official_sdk_style.py [BASE_URL]`` (default http://localhost:8080/v1).
"""

import base64
import os
import sys
import tempfile

from inference_gateway import InferenceGatewayAPIError, InferenceGatewayClient

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8080/v1"
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg=="
)

client = InferenceGatewayClient(BASE_URL)

# Responses API
response = client.create_response(
    model="openai/gpt-4o", input="What is Python?", provider="openai", max_output_tokens=100
)
for item in response.output:
    for part in getattr(item.root, "content", None) or []:
        print("response:", part.root.text)

deltas = []
for event in client.create_response_stream(model="openai/gpt-4o", input="Tell me a story."):
    if event.type == "response.output_text.delta":
        deltas.append(event.delta)
print("response stream:", "".join(deltas))

# Messages API, streamed
text = []
for event in client.create_message_stream(
    model="anthropic/claude-opus-4-8",
    messages=[{"role": "user", "content": "Hello"}],
    max_tokens=256,
    system="Be brief.",
):
    if event.type == "content_block_delta" and event.delta.type == "text_delta":
        text.append(event.delta.text)
    elif event.type == "message_delta":
        print("stop reason:", event.delta.stop_reason)
print("message stream:", "".join(text))

# Images
images = client.create_image(prompt="A lighthouse at dusk", n=1, size="1024x1024")
print("image:", images.data[0].url)
path = os.path.join(tempfile.mkdtemp(), "photo.png")
with open(path, "wb") as handle:
    handle.write(PNG)
with open(path, "rb") as image:
    edited = client.create_image_edit(image=image, prompt="Add a red hat", n=1)
print("edited:", len(edited.data))

try:
    client.create_response(model="groq/llama-4", input="hi")
except InferenceGatewayAPIError as exc:
    print("error:", exc)
