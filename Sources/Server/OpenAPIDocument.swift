/// The OpenAPI 3.1 document of the HTTP API, served at `GET /openapi.json`: written by hand as
/// the single source of truth for every route, request body, response body, status and the one
/// error shape. Kept as a string in the binary, so serving it needs no resource lookup.
///
/// Checked by `OpenAPITests` (the router's routes and the document's operations are the same
/// set; the error `code` enum is `APIError.Code.allCases`; real answers match their schemas)
/// and by `Deploy/api_contract.sh` (schemathesis against a live server: no 5xx, every answer
/// conforms). Change it together with the routes.
public enum OpenAPIDocument {
    public static let json = #"""
{
  "openapi": "3.1.0",
  "info": {
    "title": "Colecionador",
    "version": "1.0.0",
    "summary": "Classifies photos (EfficientNet-Lite0) and keeps a collection of items searchable by similarity.",
    "description": "Every error answers `{\"error\": {\"code\": \"...\", \"message\": \"...\"}}`: a stable code and a message that says what to do. Every answer carries `X-Request-ID`. Images are recognised by their magic bytes (JPEG or PNG); the Content-Type of an image body is not trusted. Limits (defaults, configurable): 10 MB per image (`limits.max_body_bytes`), 40 megapixels (`limits.max_pixels`), 16 images per batch (`limits.max_batch`). See Docs/Service.md."
  },
  "tags": [
    {"name": "classification", "description": "Classify photos."},
    {"name": "items", "description": "The collection of registered items and their similar-items index."},
    {"name": "operations", "description": "Health, readiness, metrics, model versions and this document."}
  ],
  "paths": {
    "/v1/classify": {
      "post": {
        "tags": ["classification"],
        "operationId": "classifyImage",
        "summary": "Classify one photo.",
        "description": "The body is the image itself, or a multipart form whose part `image` (or else the first part with a filename) is the image. The cache (this process's memory, then the shared predictions table) answers photos already seen; otherwise one forward pass runs under the inference limiter. `similar_items` are the nearest registered items (primary model version only).",
        "parameters": [
          {"$ref": "#/components/parameters/IncludeEmbedding"},
          {"$ref": "#/components/parameters/ModelVersionQuery"},
          {"$ref": "#/components/parameters/ModelVersionHeader"},
          {"$ref": "#/components/parameters/ClientID"},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "requestBody": {
          "required": true,
          "content": {
            "image/jpeg": {"schema": {"$ref": "#/components/schemas/ImageBytes"}},
            "image/png": {"schema": {"$ref": "#/components/schemas/ImageBytes"}},
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/ClassifyForm"},
              "encoding": {"image": {"contentType": "image/jpeg, image/png"}}
            }
          }
        },
        "responses": {
          "200": {
            "description": "The classification.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Classification"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/UnprocessableContent"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/classify/batch": {
      "post": {
        "tags": ["classification"],
        "operationId": "classifyBatch",
        "summary": "Classify several photos in one request.",
        "description": "A multipart form with one part per image (any part names; at most `limits.max_batch`, default 16). The cache misses go through one forward pass and the outcomes are stored in one transaction. Each image gets its `result` or its own `error` (the codes of the single-image route's 400, 413, 415 and 422 answers); the request itself fails only when it cannot be read.",
        "parameters": [
          {"$ref": "#/components/parameters/IncludeEmbedding"},
          {"$ref": "#/components/parameters/ModelVersionQuery"},
          {"$ref": "#/components/parameters/ModelVersionHeader"},
          {"$ref": "#/components/parameters/ClientID"},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "requestBody": {
          "required": true,
          "content": {
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/BatchForm"},
              "encoding": {"image": {"contentType": "image/jpeg, image/png"}}
            }
          }
        },
        "responses": {
          "200": {
            "description": "One entry per image, in the order of the parts.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BatchClassification"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/items": {
      "post": {
        "tags": ["items"],
        "operationId": "createItem",
        "summary": "Register an item.",
        "description": "A multipart form with the parts `name`, `category` and `image`, or a JSON object with `name`, `category` and `image_base64` (any body that is not multipart is read as JSON). The photo passes the same checks as a classified one; its embedding under the primary model version is stored and indexed. `name` (whitespace trimmed) must be 1 to 200 characters, `category` at most 100.",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {"$ref": "#/components/schemas/NewItem"},
              "examples": {
                "checkerboard": {
                  "summary": "A 48×48 checkerboard PNG",
                  "value": {"name": "Checkerboard", "category": "patterns", "image_base64": "iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAIAAADYYG7QAAAAS0lEQVR42u3SMQ0AQAwDscJ5/lCK6KWWRCo5U8YbXD17s4RfcUE5KfvzghhiiCGGGGKIIYYYYoghhhhiiCGGGGKIIYYYYoghhg4b+oP/L8R4XHRkAAAAAElFTkSuQmCC"}
                }
              }
            },
            "multipart/form-data": {
              "schema": {"$ref": "#/components/schemas/NewItemForm"},
              "encoding": {"image": {"contentType": "image/jpeg, image/png"}}
            }
          }
        },
        "responses": {
          "201": {
            "description": "The item as stored.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}},
            "links": {
              "GetItem": {"operationId": "getItem", "parameters": {"id": "$response.body#/id"}},
              "SimilarItems": {"operationId": "similarItems", "parameters": {"id": "$response.body#/id"}},
              "DeleteItem": {"operationId": "deleteItem", "parameters": {"id": "$response.body#/id"}}
            }
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "415": {"$ref": "#/components/responses/UnsupportedMediaType"},
          "422": {"$ref": "#/components/responses/UnprocessableContent"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/items/{id}": {
      "get": {
        "tags": ["items"],
        "operationId": "getItem",
        "summary": "An item, read from the database.",
        "parameters": [
          {"$ref": "#/components/parameters/ItemID"},
          {"$ref": "#/components/parameters/IncludeEmbedding"},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "responses": {
          "200": {
            "description": "The item.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Item"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      },
      "delete": {
        "tags": ["items"],
        "operationId": "deleteItem",
        "summary": "Delete an item (the row, then its index entry).",
        "parameters": [
          {"$ref": "#/components/parameters/ItemID"},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "responses": {
          "204": {
            "description": "Deleted.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/items/{id}/similar": {
      "get": {
        "tags": ["items"],
        "operationId": "similarItems",
        "summary": "The items nearest to an item by cosine distance, the item itself left out.",
        "description": "Items of another model version than the index's have no neighbours (an empty list).",
        "parameters": [
          {"$ref": "#/components/parameters/ItemID"},
          {
            "name": "k",
            "in": "query",
            "description": "How many neighbours (default: the configuration's `similar_items`, 5); not an integer in 1…100: 400 `invalid_request`.",
            "schema": {"type": "integer", "minimum": 1, "maximum": 100}
          },
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "responses": {
          "200": {
            "description": "The neighbours, nearest first.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SimilarItems"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/models": {
      "get": {
        "tags": ["operations"],
        "operationId": "listModels",
        "summary": "The model versions, their traffic weights and their statistics.",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "responses": {
          "200": {
            "description": "The versions; the primary one (the similar-items index's) is marked.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Models"}}}
          },
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/healthz": {
      "get": {
        "tags": ["operations"],
        "operationId": "health",
        "summary": "Liveness: 200 while the process serves.",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "responses": {
          "200": {
            "description": "The process serves.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
          },
          "500": {"$ref": "#/components/responses/InternalError"}
        }
      }
    },
    "/readyz": {
      "get": {
        "tags": ["operations"],
        "operationId": "readiness",
        "summary": "Readiness: models and index loaded, database reachable.",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "responses": {
          "200": {
            "description": "Ready to serve.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
          },
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/metrics": {
      "get": {
        "tags": ["operations"],
        "operationId": "metrics",
        "summary": "Prometheus metrics (text exposition format 0.0.4).",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "responses": {
          "200": {
            "description": "The metrics.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"text/plain": {"schema": {"type": "string"}}}
          },
          "500": {"$ref": "#/components/responses/InternalError"}
        }
      }
    },
    "/openapi.json": {
      "get": {
        "tags": ["operations"],
        "operationId": "openAPIDocument",
        "summary": "This document.",
        "parameters": [{"$ref": "#/components/parameters/RequestID"}],
        "responses": {
          "200": {
            "description": "The OpenAPI 3.1 document of the API.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {
              "application/json": {
                "schema": {"type": "object", "required": ["openapi", "info", "paths"], "properties": {"openapi": {"type": "string", "pattern": "^3\\.1\\.[0-9]+$"}}}
              }
            }
          },
          "500": {"$ref": "#/components/responses/InternalError"}
        }
      }
    }
  },
  "components": {
    "parameters": {
      "ItemID": {
        "name": "id",
        "in": "path",
        "required": true,
        "description": "The item's id, a positive integer (400 `invalid_request` otherwise).",
        "schema": {"type": "integer", "format": "int64", "minimum": 1}
      },
      "IncludeEmbedding": {
        "name": "include_embedding",
        "in": "query",
        "description": "`true` adds the L2-normalised embedding to the answer; `false` (the default) does not; any other value is a 400 `invalid_request`.",
        "schema": {"type": "boolean", "default": false}
      },
      "ModelVersionQuery": {
        "name": "model_version",
        "in": "query",
        "description": "Force a configured model version (400 `unknown_model_version` otherwise); without it the A/B router chooses.",
        "schema": {"type": "string"}
      },
      "ModelVersionHeader": {
        "name": "X-Model-Version",
        "in": "header",
        "description": "As the query parameter `model_version`, which wins when both are given.",
        "schema": {"type": "string"}
      },
      "ClientID": {
        "name": "X-Client-ID",
        "in": "header",
        "description": "The client key that makes A/B routing sticky (the header's name is configurable: `client_key_header`).",
        "schema": {"type": "string"}
      },
      "RequestID": {
        "name": "X-Request-ID",
        "in": "header",
        "description": "The request's id when it is 1 to 128 letters, digits, `-`, `_`, `.` or `:` (else the server makes one); returned in `X-Request-ID` and on every log line of the request.",
        "schema": {"type": "string"}
      }
    },
    "headers": {
      "RequestID": {
        "description": "The request's id: the accepted incoming `X-Request-ID`, or the server's own.",
        "required": true,
        "schema": {"type": "string", "minLength": 1}
      },
      "RetryAfter": {
        "description": "Seconds to wait before retrying: 1 when overloaded or timed out, 5 when the database is unavailable.",
        "required": true,
        "schema": {"type": "integer", "minimum": 1}
      }
    },
    "responses": {
      "BadRequest": {
        "description": "The request cannot be read: `empty_body`, `invalid_request` (missing or malformed parts or parameters), `invalid_json`, `unknown_model_version`.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NotFound": {
        "description": "`not_found`: no such item.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "ContentTooLarge": {
        "description": "`too_large`: the body is above `limits.max_body_bytes`; `batch_too_large`: more than `limits.max_batch` images.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "UnsupportedMediaType": {
        "description": "`unsupported_type`: the bytes are neither JPEG nor PNG (by magic bytes).",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "UnprocessableContent": {
        "description": "The image was read but cannot be classified: `too_many_pixels` (above `limits.max_pixels`, from the header), `invalid_image` (truncated or corrupt), `low_quality` (blurred, too small, over- or under-exposed; the message says which), `adversarial_suspected` (`adversarial.mode: reject`).",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "ServiceUnavailable": {
        "description": "`overloaded` (every inference slot busy and the queue full), `timeout` (waited too long for an inference slot), `storage_unavailable` (the database failed), `not_ready` (readiness: the database is unreachable).",
        "headers": {
          "X-Request-ID": {"$ref": "#/components/headers/RequestID"},
          "Retry-After": {"$ref": "#/components/headers/RetryAfter"}
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "InternalError": {
        "description": "`internal` or `inference_failed`: a bug; the request id names the log line.",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "description": "The one error shape of every route.",
        "required": ["error"],
        "additionalProperties": false,
        "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}}
      },
      "ErrorDetail": {
        "type": "object",
        "required": ["code", "message"],
        "additionalProperties": false,
        "properties": {
          "code": {
            "type": "string",
            "description": "Stable: clients switch on it. `method_not_allowed` and `http` are kept for framework-level rejections.",
            "enum": [
              "invalid_request",
              "invalid_json",
              "not_found",
              "method_not_allowed",
              "too_large",
              "batch_too_large",
              "overloaded",
              "timeout",
              "not_ready",
              "storage_unavailable",
              "internal",
              "http",
              "empty_body",
              "unsupported_type",
              "too_many_pixels",
              "invalid_image",
              "low_quality",
              "adversarial_suspected",
              "unknown_model_version",
              "inference_failed"
            ]
          },
          "message": {"type": "string", "minLength": 1, "description": "What went wrong and what to do."}
        }
      },
      "ImageBytes": {
        "type": "string",
        "format": "binary",
        "description": "A JPEG or PNG file, at most `limits.max_body_bytes` (10 MB)."
      },
      "ClassifyForm": {
        "type": "object",
        "required": ["image"],
        "properties": {"image": {"$ref": "#/components/schemas/ImageBytes"}}
      },
      "BatchForm": {
        "type": "object",
        "description": "One part per image, at least one and at most `limits.max_batch` (16; 413 `batch_too_large` beyond). The parts' names do not matter; naming each `image` is customary.",
        "minProperties": 1,
        "properties": {
          "image": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/ImageBytes"}}
        },
        "additionalProperties": {"$ref": "#/components/schemas/ImageBytes"}
      },
      "NewItem": {
        "type": "object",
        "required": ["name", "category", "image_base64"],
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200},
          "category": {"type": "string", "maxLength": 100},
          "image_base64": {"type": "string", "contentEncoding": "base64", "description": "The photo's bytes (JPEG or PNG) in standard base64."}
        }
      },
      "NewItemForm": {
        "type": "object",
        "required": ["name", "category", "image"],
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200},
          "category": {"type": "string", "maxLength": 100},
          "image": {"$ref": "#/components/schemas/ImageBytes"}
        }
      },
      "ClassScore": {
        "type": "object",
        "required": ["label", "index", "confidence"],
        "additionalProperties": false,
        "properties": {
          "label": {"type": "string"},
          "index": {"type": "integer", "minimum": 0, "description": "The class's line in the label file, from 0."},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1}
        }
      },
      "SimilarItem": {
        "type": "object",
        "required": ["id", "name", "category", "distance"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "integer", "format": "int64", "minimum": 1},
          "name": {"type": "string"},
          "category": {"type": "string"},
          "distance": {"type": "number", "minimum": 0, "description": "Cosine distance 1 − cos θ (0: same direction, 2: opposite)."}
        }
      },
      "Embedding": {
        "type": "array",
        "description": "The L2-normalised embedding (1280 numbers for EfficientNet-Lite0).",
        "items": {"type": "number"}
      },
      "Classification": {
        "type": "object",
        "required": ["class", "confidence", "accepted", "top_k", "similar_items", "model_version", "cache", "sha256", "timings_ms", "request_id"],
        "additionalProperties": false,
        "properties": {
          "class": {"type": "string", "description": "The most probable label."},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "accepted": {"type": "boolean", "description": "`confidence` ≥ `acceptance_threshold` (0.7)."},
          "adversarial_suspected": {"type": "boolean", "description": "Only with adversarial detection on (`adversarial.mode` `warn` or `reject`)."},
          "adversarial_score": {"type": "number", "minimum": 0, "description": "Feature-squeezing score (0…2); only with adversarial detection on."},
          "top_k": {"type": "array", "items": {"$ref": "#/components/schemas/ClassScore"}},
          "embedding": {"$ref": "#/components/schemas/Embedding"},
          "similar_items": {"type": "array", "items": {"$ref": "#/components/schemas/SimilarItem"}},
          "model_version": {"type": "string"},
          "cache": {"type": "string", "enum": ["hit", "miss"]},
          "sha256": {"$ref": "#/components/schemas/SHA256"},
          "timings_ms": {
            "type": "object",
            "description": "Milliseconds per pipeline stage (validate, cache, decode, preprocess, quality, infer, search, store).",
            "additionalProperties": {"type": "number", "minimum": 0}
          },
          "request_id": {"type": "string", "minLength": 1}
        }
      },
      "BatchEntry": {
        "type": "object",
        "required": ["index"],
        "additionalProperties": false,
        "properties": {
          "index": {"type": "integer", "minimum": 0, "description": "The image's position among the parts."},
          "result": {"$ref": "#/components/schemas/Classification"},
          "error": {"$ref": "#/components/schemas/ErrorDetail"}
        },
        "oneOf": [{"required": ["result"]}, {"required": ["error"]}]
      },
      "BatchClassification": {
        "type": "object",
        "required": ["request_id", "model_version", "results"],
        "additionalProperties": false,
        "properties": {
          "request_id": {"type": "string", "minLength": 1},
          "model_version": {"type": "string"},
          "results": {"type": "array", "items": {"$ref": "#/components/schemas/BatchEntry"}}
        }
      },
      "SHA256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
      "Item": {
        "type": "object",
        "required": ["id", "name", "category", "sha256", "model_version", "created_at"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "integer", "format": "int64", "minimum": 1},
          "name": {"type": "string"},
          "category": {"type": "string"},
          "sha256": {"$ref": "#/components/schemas/SHA256"},
          "model_version": {"type": "string"},
          "created_at": {"type": "number", "description": "Unix time in seconds."},
          "embedding": {"$ref": "#/components/schemas/Embedding"}
        }
      },
      "SimilarItems": {
        "type": "object",
        "required": ["id", "similar_items"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "integer", "format": "int64", "minimum": 1},
          "similar_items": {"type": "array", "items": {"$ref": "#/components/schemas/SimilarItem"}}
        }
      },
      "VersionStats": {
        "type": "object",
        "description": "Over every recorded request of the version (the SQL view `model_version_stats`).",
        "required": ["model_version", "requests", "errors", "error_rate"],
        "additionalProperties": false,
        "properties": {
          "model_version": {"type": "string"},
          "requests": {"type": "integer", "minimum": 0},
          "errors": {"type": "integer", "minimum": 0},
          "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
          "mean_confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "acceptance_rate": {"type": "number", "minimum": 0, "maximum": 1},
          "mean_latency_ms": {"type": "number", "minimum": 0}
        }
      },
      "ModelVersion": {
        "type": "object",
        "required": ["id", "architecture", "traffic", "primary"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string"},
          "architecture": {"type": "string"},
          "traffic": {"type": "number", "minimum": 0, "description": "The version's traffic weight."},
          "primary": {"type": "boolean"},
          "stats": {"$ref": "#/components/schemas/VersionStats"}
        }
      },
      "Models": {
        "type": "object",
        "required": ["versions"],
        "additionalProperties": false,
        "properties": {"versions": {"type": "array", "minItems": 1, "items": {"$ref": "#/components/schemas/ModelVersion"}}}
      },
      "Health": {
        "type": "object",
        "required": ["status"],
        "additionalProperties": false,
        "properties": {"status": {"const": "ok"}}
      },
      "Readiness": {
        "type": "object",
        "required": ["status", "model_versions", "index_items", "database"],
        "additionalProperties": false,
        "properties": {
          "status": {"const": "ready"},
          "model_versions": {"type": "array", "minItems": 1, "items": {"type": "string"}},
          "index_items": {"type": "integer", "minimum": 0},
          "database": {"type": "string", "enum": ["sqlite", "postgresql"]}
        }
      }
    }
  }
}
"""#
}
