#!/usr/bin/env python3
"""A real transformer behind the OpenAI streaming protocol, for checking voxperf's LLM timing on a GPU.

GPT-2 small's architecture (transformers.GPT2Config defaults: 12 layers, 768 wide, 124M parameters) with
random weights, since no weights can be downloaded where this runs. It decodes token by token with a KV cache
on the GPU (greedy), one forward step at a time across all requests (a lock: requests take turns, so per-token
latency grows with concurrency). It answers POST /v1/chat/completions with stream true in vLLM's SSE shape:
a role chunk, one chunk per token, a usage chunk, [DONE]. There is no tokenizer (its files can not be
downloaded either): prompt words are hashed to token ids, and token t is sent as the text " t<t>".

Sockets get TCP_NODELAY unless --nagle: with Nagle's algorithm on, a token written while the previous small
write is unacknowledged waits for the client's delayed ACK (up to 40 ms on Linux).

Every token's send time is logged as time.monotonic_ns() right after its bytes were written to the socket,
with the request's X-Request-Id, in --log (JSON lines); voxperf's --records-dir uses the same clock.
"""
import argparse
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import torch
from transformers import GPT2Config, GPT2LMHeadModel

MODEL = "gpt2-random"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--log", required=True)
    parser.add_argument("--nagle", action="store_true",
                        help="leave Nagle's algorithm on (no TCP_NODELAY): small writes wait for ACKs")
    args = parser.parse_args()

    device = "cuda" if torch.cuda.is_available() else "cpu"
    torch.manual_seed(0)
    model = GPT2LMHeadModel(GPT2Config()).to(device).eval()
    if device == "cuda":
        model = model.half()
    step_lock = threading.Lock()
    log_lock = threading.Lock()
    log = open(args.log, "a", buffering=1)

    def write_log(entry):
        with log_lock:
            log.write(json.dumps(entry) + "\n")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a):
            pass

        def setup(self):
            super().setup()
            if not args.nagle:  # as uvicorn and other servers do: each token leaves when it is written
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def send_json(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            if self.path == "/v1/models":
                return self.send_json(200, {"object": "list", "data": [{"id": MODEL, "object": "model"}]})
            self.send_json(404, {"error": {"message": "not found"}})

        def chunk(self, text):
            data = text.encode()
            self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
            self.wfile.flush()

        def do_POST(self):
            received = time.monotonic_ns()
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
            request_id = self.headers.get("X-Request-Id", "")
            prompt = " ".join(m["content"] for m in body["messages"])
            ids = [hash(w) % 50257 for w in prompt.split()] or [0]
            max_tokens = int(body.get("max_tokens", 16))
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            head = {"id": "chatcmpl-" + request_id, "object": "chat.completion.chunk", "model": MODEL}
            self.chunk("data: " + json.dumps({**head, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""}}]}) + "\n\n")
            sends = []
            past = None
            tokens = torch.tensor([ids], device=device)
            with torch.no_grad():
                for i in range(max_tokens):
                    with step_lock:
                        out = model(tokens, past_key_values=past, use_cache=True)
                        past = out.past_key_values
                        next_id = int(out.logits[0, -1].argmax())  # .item(): waits for the GPU
                    tokens = torch.tensor([[next_id]], device=device)
                    last = i == max_tokens - 1
                    choice = {"index": 0, "delta": {"content": " t%d" % next_id}, "finish_reason": "length" if last else None}
                    self.chunk("data: " + json.dumps({**head, "choices": [choice]}) + "\n\n")
                    sends.append(time.monotonic_ns())
            usage = {"prompt_tokens": len(ids), "completion_tokens": max_tokens, "total_tokens": len(ids) + max_tokens}
            self.chunk("data: " + json.dumps({**head, "choices": [], "usage": usage}) + "\n\n" + "data: [DONE]\n\n")
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
            write_log({"request_id": request_id, "received_ns": received, "token_sent_ns": sends})

    server = ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    print("serving %s on %s at :%d" % (MODEL, device, args.port), flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
