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
    {"name": "collection", "description": "Learning the collection's categories: feedback on answers, heads trained from the items."},
    {"name": "operations", "description": "Health, readiness, metrics, model versions and this document."}
  ],
  "paths": {
    "/v1/classify": {
      "post": {
        "tags": ["classification"],
        "operationId": "classifyImage",
        "summary": "Classify one photo.",
        "description": "The body is the image itself, or a multipart form whose part `image` (or else the first part with a filename) is the image. The cache (this process's memory, then the shared predictions table) answers photos already seen; otherwise one forward pass runs under the inference limiter. `class`, `confidence`, `accepted` and `top_k` are the version's classifier's answer: ImageNet's classes, or the collection's categories (`nearest-items`: a vote of the nearest registered items; `head`: a head trained on the collection). `similar_items` are the nearest registered items (every version on the primary's backbone shares them).",
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
          "409": {"$ref": "#/components/responses/Conflict"},
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
        "summary": "The model versions, their classifiers, traffic weights and statistics (accuracy over the answers with feedback among them).",
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
    "/v1/models/{id}/train": {
      "post": {
        "tags": ["collection"],
        "operationId": "trainHead",
        "summary": "Train a head over a version's backbone from the registered items, in the background.",
        "description": "Checked before it is accepted: the base version exists (404 `unknown_model_version`), the new id is free (409 `version_exists`), the items span at least two categories (409 `insufficient_training_data`), the options are in range (400 `invalid_options`), and the instance has a `heads_directory` (409 `training_unavailable`). When the job succeeds the head is a new model version with the given traffic weight; until then nothing changes.",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "description": "The version whose backbone the head is trained over.", "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrainRequest"}}}},
        "responses": {
          "202": {
            "description": "The job, queued; poll its `Location`.",
            "headers": {
              "X-Request-ID": {"$ref": "#/components/headers/RequestID"},
              "Location": {"description": "`/v1/training-jobs/{job id}`.", "required": true, "schema": {"type": "string"}}
            },
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrainingJob"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "409": {"$ref": "#/components/responses/Conflict"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
          "500": {"$ref": "#/components/responses/InternalError"},
          "503": {"$ref": "#/components/responses/ServiceUnavailable"}
        }
      }
    },
    "/v1/training-jobs/{id}": {
      "get": {
        "tags": ["collection"],
        "operationId": "trainingJob",
        "summary": "A training job of this instance: status, progress, and its report or error.",
        "parameters": [
          {"name": "id", "in": "path", "required": true, "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "responses": {
          "200": {
            "description": "The job.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TrainingJob"}}}
          },
          "404": {"$ref": "#/components/responses/NotFound"},
          "500": {"$ref": "#/components/responses/InternalError"}
        }
      }
    },
    "/v1/predictions/{request_id}/feedback": {
      "post": {
        "tags": ["collection"],
        "operationId": "predictionFeedback",
        "summary": "Record the right category of an answered image.",
        "description": "For the image at `position` (0 by default; a batch's index) of the request `request_id`. A second answer replaces the first; nothing else changes. Accuracy per version (`GET /v1/models`, `classifier_accuracy`) counts the answers with feedback.",
        "parameters": [
          {"name": "request_id", "in": "path", "required": true, "description": "The `request_id` of a successful classification.", "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/RequestID"}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/FeedbackRequest"}}}},
        "responses": {
          "200": {
            "description": "The feedback as stored, with what the version had answered.",
            "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Feedback"}}}
          },
          "400": {"$ref": "#/components/responses/BadRequest"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/ContentTooLarge"},
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
        "description": "The request cannot be read: `empty_body`, `invalid_request` (missing or malformed parts or parameters), `invalid_json`, `unknown_model_version`, `invalid_category` (empty or over 200 characters), `invalid_options` (training options out of range).",
        "headers": {"X-Request-ID": {"$ref": "#/components/headers/RequestID"}},
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
      },
      "NotFound": {
        "description": "`not_found`: no such item, answered image or training job; `unknown_model_version` for a training base.",
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
      "Conflict": {
        "description": "The collection is not in a state to do this: `empty_collection` (a nearest-items version with no item registered yet), `insufficient_training_data` (fewer than two categories), `version_exists`, `training_unavailable` (no `heads_directory`).",
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
              "inference_failed",
              "empty_collection",
              "invalid_category",
              "insufficient_training_data",
              "invalid_options",
              "version_exists",
              "training_unavailable"
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
          "category": {"type": "string", "minLength": 1, "maxLength": 200, "description": "Trimmed of surrounding white space; empty or over 200 characters: 400 `invalid_category`."},
          "image_base64": {"type": "string", "contentEncoding": "base64", "description": "The photo's bytes (JPEG or PNG) in standard base64."}
        }
      },
      "NewItemForm": {
        "type": "object",
        "required": ["name", "category", "image"],
        "properties": {
          "name": {"type": "string", "minLength": 1, "maxLength": 200},
          "category": {"type": "string", "minLength": 1, "maxLength": 200},
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
        "required": ["class", "confidence", "accepted", "top_k", "classifier", "similar_items", "model_version", "cache", "sha256", "timings_ms", "request_id"],
        "additionalProperties": false,
        "properties": {
          "class": {"type": "string", "description": "The most probable class: an ImageNet label, or one of the collection's categories."},
          "confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "accepted": {"type": "boolean", "description": "`confidence` ≥ `acceptance_threshold` (0.7)."},
          "adversarial_suspected": {"type": "boolean", "description": "Only with adversarial detection on (`adversarial.mode` `warn` or `reject`)."},
          "adversarial_score": {"type": "number", "minimum": 0, "description": "Feature-squeezing score (0…2); only with adversarial detection on."},
          "top_k": {"type": "array", "items": {"$ref": "#/components/schemas/ClassScore"}},
          "classifier": {"type": "string", "enum": ["imagenet", "nearest-items", "head"], "description": "Whose classes `class` and `top_k` are."},
          "imagenet_top_k": {"type": "array", "items": {"$ref": "#/components/schemas/ClassScore"}, "description": "The backbone's ImageNet classes, for a collection classifier."},
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
        "required": ["model_version", "requests", "errors", "error_rate", "feedback"],
        "additionalProperties": false,
        "properties": {
          "model_version": {"type": "string"},
          "requests": {"type": "integer", "minimum": 0},
          "errors": {"type": "integer", "minimum": 0},
          "error_rate": {"type": "number", "minimum": 0, "maximum": 1},
          "mean_confidence": {"type": "number", "minimum": 0, "maximum": 1},
          "acceptance_rate": {"type": "number", "minimum": 0, "maximum": 1},
          "mean_latency_ms": {"type": "number", "minimum": 0},
          "feedback": {"type": "integer", "minimum": 0, "description": "Answers with feedback (`POST /v1/predictions/{request_id}/feedback`)."},
          "accuracy": {"type": "number", "minimum": 0, "maximum": 1, "description": "The share of those answers whose class was the feedback's category."}
        }
      },
      "ModelVersion": {
        "type": "object",
        "required": ["id", "architecture", "classifier", "backbone", "traffic", "primary"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string"},
          "architecture": {"type": "string"},
          "classifier": {"type": "string", "enum": ["imagenet", "nearest-items", "head"]},
          "backbone": {"type": "string", "description": "The version whose items this one shares (the first on the same model and weights)."},
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
      "FeedbackRequest": {
        "type": "object",
        "required": ["category"],
        "properties": {
          "category": {"type": "string", "minLength": 1, "maxLength": 200, "description": "The right category."},
          "position": {"type": "integer", "minimum": 0, "description": "The image's index in a batch (default 0)."}
        }
      },
      "Feedback": {
        "type": "object",
        "required": ["request_id", "position", "category", "model_version", "predicted_class", "correct"],
        "additionalProperties": false,
        "properties": {
          "request_id": {"type": "string"},
          "position": {"type": "integer", "minimum": 0},
          "category": {"type": "string"},
          "model_version": {"type": "string"},
          "predicted_class": {"type": ["string", "null"], "description": "What the version answered."},
          "correct": {"type": "boolean"}
        }
      },
      "TrainRequest": {
        "type": "object",
        "required": ["version"],
        "properties": {
          "version": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$", "description": "The new version's id."},
          "traffic": {"type": "number", "minimum": 0, "description": "Its traffic weight once trained (default 0: reached only by `model_version`)."},
          "hidden_units": {"type": "integer", "minimum": 1, "maximum": 8192, "description": "Default 512."},
          "max_epochs": {"type": "integer", "minimum": 1, "maximum": 100000, "description": "Default 200 (early stopping usually ends sooner)."},
          "seed": {"type": "integer", "minimum": 0}
        }
      },
      "TrainingReport": {
        "type": "object",
        "required": ["photos", "samples", "categories", "held_out_photos", "epochs", "best_epoch", "training_loss", "seconds"],
        "properties": {
          "photos": {"type": "integer", "minimum": 0},
          "samples": {"type": "integer", "minimum": 0},
          "categories": {"type": "integer", "minimum": 2},
          "held_out_photos": {"type": "integer", "minimum": 0},
          "epochs": {"type": "integer", "minimum": 1},
          "best_epoch": {"type": "integer", "minimum": 0},
          "training_loss": {"type": "number"},
          "held_out_loss": {"type": "number"},
          "held_out_accuracy": {"type": "number", "minimum": 0, "maximum": 1},
          "seconds": {"type": "number", "minimum": 0}
        }
      },
      "TrainingJob": {
        "type": "object",
        "required": ["id", "base_version", "new_version", "status", "created_at"],
        "additionalProperties": false,
        "properties": {
          "id": {"type": "string"},
          "base_version": {"type": "string"},
          "new_version": {"type": "string"},
          "status": {"type": "string", "enum": ["queued", "running", "succeeded", "failed"]},
          "epoch": {"type": "integer", "minimum": 1},
          "max_epochs": {"type": "integer", "minimum": 1},
          "report": {"$ref": "#/components/schemas/TrainingReport"},
          "error": {
            "type": "object",
            "required": ["code", "message"],
            "additionalProperties": false,
            "properties": {"code": {"const": "training_failed"}, "message": {"type": "string", "minLength": 1}}
          },
          "created_at": {"type": "number"},
          "finished_at": {"type": "number"}
        }
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
