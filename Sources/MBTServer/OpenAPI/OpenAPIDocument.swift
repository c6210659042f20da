/// The OpenAPI 3.1 description of the HTTP API: every `/api` route plus `/health`, `/ready` and
/// `/openapi.json`, served by ``OpenAPIRoutes``. Keep it in step with the routes; the server tests
/// check real responses against it (`OpenAPIConformanceTests`).
enum OpenAPIDocument {
    static let json: String = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "MBT paper-trading API",
            "version": "1.0.0",
            "description": "Keys are snake_case; decimals are strings with six places; instants are RFC 3339 in UTC (the clock and calendar follow Alpaca and use New York time). Optional fields are absent, never null."
          },
          "security": [{"bearerAuth": []}],
          "paths": {
            "/health": {
              "get": {
                "operationId": "getHealth",
                "summary": "The process is up",
                "tags": ["service"],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The process is up",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Health"}}}
                  }
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              }
            },
            "/ready": {
              "get": {
                "operationId": "getReady",
                "summary": "The database answers and its schema is current",
                "tags": ["service"],
                "security": [],
                "responses": {
                  "200": {
                    "description": "Ready",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Readiness"}}}
                  },
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              }
            },
            "/openapi.json": {
              "get": {
                "operationId": "getOpenAPI",
                "summary": "This document",
                "tags": ["service"],
                "security": [],
                "responses": {
                  "200": {
                    "description": "The OpenAPI 3.1 document",
                    "content": {"application/json": {"schema": {"type": "object"}}}
                  }
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {"405": {"$ref": "#/components/responses/MethodNotAllowed"}},
                "security": []
              }
            },
            "/api/trading/account": {
              "get": {
                "operationId": "getAccount",
                "summary": "The caller's paper account",
                "tags": ["trading"],
                "responses": {
                  "200": {
                    "description": "The account",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "operationId": "updateAccount",
                "summary": "Change the account's default tax-lot method",
                "tags": ["trading"],
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AccountUpdate"}}}
                },
                "responses": {
                  "200": {
                    "description": "The updated account",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Account"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/PayloadTooLarge"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/orders": {
              "get": {
                "operationId": "listOrders",
                "summary": "The caller's orders, newest first",
                "tags": ["trading"],
                "parameters": [
                  {
                    "name": "status",
                    "in": "query",
                    "required": false,
                    "description": "Only orders in this status",
                    "schema": {"type": "string", "enum": ["new", "accepted", "filled", "canceled", "rejected", "expired"]}
                  },
                  {
                    "name": "symbol",
                    "in": "query",
                    "required": false,
                    "description": "Only orders for this symbol (case-insensitive)",
                    "schema": {"type": "string"}
                  },
                  {
                    "name": "from",
                    "in": "query",
                    "required": false,
                    "description": "Submitted at or after this RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {
                    "name": "to",
                    "in": "query",
                    "required": false,
                    "description": "Submitted before this RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "required": false,
                    "description": "Page size, 1...500 (default 100)",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 500}
                  },
                  {
                    "name": "before",
                    "in": "query",
                    "required": false,
                    "description": "The next_cursor of the previous page: only orders older than it",
                    "schema": {"type": "integer", "minimum": 1}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of orders",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderPage"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "operationId": "submitOrder",
                "summary": "Submit an order",
                "tags": ["trading"],
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderTicket"}}}
                },
                "responses": {
                  "200": {
                    "description": "An order with this client_order_id already exists; it is returned unchanged",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
                  },
                  "201": {
                    "description": "The order was accepted (filled or resting)",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "413": {"$ref": "#/components/responses/PayloadTooLarge"},
                  "422": {
                    "description": "The ticket is invalid (the error shape only; nothing is stored), or the order was refused and stored as rejected (the error shape plus the stored order)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "oneOf": [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/RejectedOrder"}]
                        }
                      }
                    }
                  },
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/orders/{id}": {
              "get": {
                "operationId": "getOrder",
                "summary": "One of the caller's orders",
                "tags": ["trading"],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The order id; anything that is not a positive whole number is a 404",
                    "schema": {"type": "integer", "format": "int64", "minimum": 1}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The order",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "operationId": "replaceOrder",
                "summary": "Replace an open order: the old one is canceled (replaced_by_order_id) and a new one (replaces_order_id) goes through the checks and may fill at once",
                "tags": ["trading"],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The order id; anything that is not a positive whole number is a 404",
                    "schema": {"type": "integer", "format": "int64", "minimum": 1}
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OrderReplacement"}}}
                },
                "responses": {
                  "200": {
                    "description": "The new order (filled, resting, or canceled as an unmarketable IOC); the old one is canceled",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "413": {"$ref": "#/components/responses/PayloadTooLarge"},
                  "422": {
                    "description": "The change is invalid (the error shape only; nothing is stored), or the replacement was refused and stored as rejected (the error shape plus the stored replacement; the old order stays open)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "oneOf": [{"$ref": "#/components/schemas/Error"}, {"$ref": "#/components/schemas/RejectedOrder"}]
                        }
                      }
                    }
                  },
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "operationId": "cancelOrder",
                "summary": "Cancel an open order",
                "tags": ["trading"],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "description": "The order id; anything that is not a positive whole number is a 404",
                    "schema": {"type": "integer", "format": "int64", "minimum": 1}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The canceled order",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Order"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "409": {"$ref": "#/components/responses/Conflict"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/activities": {
              "get": {
                "operationId": "listActivities",
                "summary": "The caller's fills and cash movements, merged newest first",
                "tags": ["trading"],
                "parameters": [
                  {
                    "name": "type",
                    "in": "query",
                    "required": false,
                    "description": "Only fills or only cash movements",
                    "schema": {"type": "string", "enum": ["fill", "cash"]}
                  },
                  {
                    "name": "from",
                    "in": "query",
                    "required": false,
                    "description": "At or after this RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {
                    "name": "to",
                    "in": "query",
                    "required": false,
                    "description": "Before this RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {
                    "name": "limit",
                    "in": "query",
                    "required": false,
                    "description": "Page size, 1...500 (default 100)",
                    "schema": {"type": "integer", "minimum": 1, "maximum": 500}
                  },
                  {
                    "name": "before",
                    "in": "query",
                    "required": false,
                    "description": "The next_cursor of the previous page (opaque): only activities older than it",
                    "schema": {"type": "string"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "A page of activities",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ActivityPage"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/positions": {
              "get": {
                "operationId": "listPositions",
                "summary": "Open positions marked to the quote mid",
                "tags": ["trading"],
                "responses": {
                  "200": {
                    "description": "The open positions",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/PositionList"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/status": {
              "get": {
                "operationId": "getTradingStatus",
                "summary": "Market open or closed, the bar loop's state, and whether to show the delayed-fills banner",
                "description": "bars_caught_up is the longest catch-up of the current New York trading day (bars of one symbol walked after downtime); delayed_fills_banner is true when it exceeds delayed_fills_banner_bars.",
                "tags": ["trading"],
                "responses": {
                  "200": {
                    "description": "The status",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TradingStatus"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/tax/lots": {
              "get": {
                "operationId": "listTaxLots",
                "summary": "The caller's tax lots",
                "tags": ["tax"],
                "responses": {
                  "200": {
                    "description": "Every tax lot of the caller, open and closed, with the pieces sold from each",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaxLotList"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/tax/summary": {
              "get": {
                "operationId": "getTaxSummary",
                "summary": "Realized gains and losses of a tax year",
                "tags": ["tax"],
                "parameters": [
                  {
                    "name": "year",
                    "in": "query",
                    "required": false,
                    "description": "The tax year, 1900...2100 as YYYY (default: the current year in New York)",
                    "schema": {"type": "integer", "minimum": 1900, "maximum": 2100}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The year's realized results from the tax engine, in total and per symbol",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/TaxSummary"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/trading/tax/8949": {
              "get": {
                "operationId": "getForm8949",
                "summary": "Form 8949 rows of a tax year, as CSV",
                "tags": ["tax"],
                "parameters": [
                  {
                    "name": "year",
                    "in": "query",
                    "required": false,
                    "description": "The tax year, 1900...2100 as YYYY (default: the current year in New York)",
                    "schema": {"type": "integer", "minimum": 1900, "maximum": 2100}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Form 8949 rows of the year as CSV, header first: part (I short-term, II long-term, 6781 for Section 1256 contracts), description, date_acquired (adjusted by wash sales), date_sold, proceeds, cost_basis, adjustment_code (W for a wash sale), adjustment_amount (the disallowed loss), gain_or_loss; amounts with six decimals",
                    "content": {"text/csv": {"schema": {"type": "string"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              }
            },
            "/api/market/quotes": {
              "get": {
                "operationId": "getQuotes",
                "summary": "Latest quotes",
                "tags": ["market data"],
                "parameters": [
                  {
                    "name": "symbols",
                    "in": "query",
                    "required": true,
                    "description": "Comma-separated symbols, at most 100",
                    "schema": {"type": "string"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Quotes by symbol",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/QuoteMap"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              }
            },
            "/api/market/bars": {
              "get": {
                "operationId": "getBars",
                "summary": "One-minute bars in [start, end), at most 5 days",
                "tags": ["market data"],
                "parameters": [
                  {
                    "name": "symbols",
                    "in": "query",
                    "required": true,
                    "description": "Comma-separated symbols, at most 50",
                    "schema": {"type": "string"}
                  },
                  {
                    "name": "start",
                    "in": "query",
                    "required": true,
                    "description": "RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  },
                  {
                    "name": "end",
                    "in": "query",
                    "required": true,
                    "description": "RFC 3339 instant",
                    "schema": {"type": "string", "format": "date-time"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Bars by symbol",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/BarMap"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              }
            },
            "/api/market/options/chain": {
              "get": {
                "operationId": "getOptionChain",
                "summary": "Option contracts of one underlying and expiry, with bid/ask and greeks",
                "tags": ["market data"],
                "parameters": [
                  {
                    "name": "underlying",
                    "in": "query",
                    "required": true,
                    "description": "The underlying symbol",
                    "schema": {"type": "string"}
                  },
                  {
                    "name": "expiry",
                    "in": "query",
                    "required": true,
                    "description": "YYYY-MM-DD",
                    "schema": {"type": "string", "format": "date"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The chain",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/OptionChain"}}}
                  },
                  "400": {"$ref": "#/components/responses/BadRequest"},
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"},
                  "502": {"$ref": "#/components/responses/BadGateway"},
                  "503": {"$ref": "#/components/responses/Unavailable"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              }
            },
            "/api/market/clock": {
              "get": {
                "operationId": "getClock",
                "summary": "The market clock (Alpaca /v2/clock shape, New York time)",
                "tags": ["market data"],
                "responses": {
                  "200": {
                    "description": "The clock",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/MarketClock"}}}
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              }
            },
            "/api/market/calendar": {
              "get": {
                "operationId": "getCalendar",
                "summary": "Trading days (Alpaca /v2/calendar shape), 2000-2100, at most 10 years",
                "tags": ["market data"],
                "parameters": [
                  {
                    "name": "start",
                    "in": "query",
                    "required": false,
                    "description": "YYYY-MM-DD (default today)",
                    "schema": {"type": "string", "format": "date"}
                  },
                  {
                    "name": "end",
                    "in": "query",
                    "required": false,
                    "description": "YYYY-MM-DD (default start + 30 days)",
                    "schema": {"type": "string", "format": "date"}
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The trading days in [start, end]",
                    "content": {
                      "application/json": {"schema": {"type": "array", "items": {"$ref": "#/components/schemas/CalendarDay"}}}
                    }
                  },
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "422": {"$ref": "#/components/responses/Unprocessable"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "post": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "put": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "patch": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              },
              "delete": {
                "summary": "Not allowed (405)",
                "responses": {
                  "401": {"$ref": "#/components/responses/Unauthorized"},
                  "404": {"$ref": "#/components/responses/NotFound"},
                  "405": {"$ref": "#/components/responses/MethodNotAllowed"},
                  "500": {"$ref": "#/components/responses/InternalError"}
                }
              }
            }
          },
          "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
            "schemas": {
              "Account": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id", "user_id", "user_name", "status", "currency", "cash", "equity", "buying_power", "reserved_by_open_orders", "long_market_value",
                  "short_market_value", "realized_pl", "unrealized_pl", "starting_balance", "default_tax_lot_method",
                  "created_at"
                ],
                "properties": {
                  "id": {"type": "integer", "format": "int64"},
                  "user_id": {"type": "integer", "format": "int64"},
                  "user_name": {"type": "string"},
                  "status": {"type": "string", "enum": ["active", "suspended"]},
                  "currency": {"type": "string", "enum": ["USD"]},
                  "cash": {"$ref": "#/components/schemas/Decimal"},
                  "equity": {"$ref": "#/components/schemas/Decimal"},
                  "buying_power": {
                    "$ref": "#/components/schemas/Decimal",
                    "description": "Free cash: cash less 150% of short stock, short put collateral and what open orders reserve (docs/buying-power.md); what orders that open positions may still spend"
                  },
                  "reserved_by_open_orders": {
                    "$ref": "#/components/schemas/Decimal",
                    "description": "What open orders hold back of buying power until they fill, are canceled or expire"
                  },
                  "long_market_value": {"$ref": "#/components/schemas/Decimal"},
                  "short_market_value": {"$ref": "#/components/schemas/Decimal"},
                  "realized_pl": {
                    "$ref": "#/components/schemas/Decimal",
                    "description": "Realized P&L from the tax engine: the gains less the allowed losses of every lot disposition, all years (a loss a wash sale disallowed is not in it; it is deferred into the replacement lot's basis)"
                  },
                  "unrealized_pl": {"$ref": "#/components/schemas/Decimal"},
                  "starting_balance": {"$ref": "#/components/schemas/Decimal"},
                  "default_tax_lot_method": {"type": "string", "enum": ["fifo", "lifo", "hifo", "specific_id"]},
                  "created_at": {"$ref": "#/components/schemas/Instant"}
                }
              },
              "AccountUpdate": {
                "type": "object",
                "required": ["default_tax_lot_method"],
                "properties": {"default_tax_lot_method": {"type": "string", "enum": ["fifo", "lifo", "hifo", "specific_id"]}}
              },
              "ActivityPage": {
                "type": "object",
                "additionalProperties": false,
                "required": ["activities"],
                "properties": {
                  "activities": {
                    "type": "array",
                    "items": {"oneOf": [{"$ref": "#/components/schemas/FillActivity"}, {"$ref": "#/components/schemas/CashActivity"}]}
                  },
                  "next_cursor": {
                    "type": "string",
                    "description": "Pass as before for the next (older) page; absent on the last page"
                  }
                }
              },
              "Bar": {
                "type": "object",
                "additionalProperties": false,
                "required": ["symbol", "start", "open", "high", "low", "close", "volume"],
                "properties": {
                  "symbol": {"type": "string"},
                  "start": {"$ref": "#/components/schemas/Instant"},
                  "open": {"$ref": "#/components/schemas/Decimal"},
                  "high": {"$ref": "#/components/schemas/Decimal"},
                  "low": {"$ref": "#/components/schemas/Decimal"},
                  "close": {"$ref": "#/components/schemas/Decimal"},
                  "volume": {"type": "integer", "format": "int64"},
                  "trade_count": {"type": "integer", "format": "int64"},
                  "vwap": {"$ref": "#/components/schemas/Decimal"}
                }
              },
              "BarMap": {
                "type": "object",
                "additionalProperties": false,
                "required": ["bars"],
                "properties": {
                  "bars": {
                    "type": "object",
                    "additionalProperties": {"type": "array", "items": {"$ref": "#/components/schemas/Bar"}}
                  }
                }
              },
              "CalendarDay": {
                "type": "object",
                "additionalProperties": false,
                "required": ["date", "open", "close", "session_open", "session_close", "settlement_date"],
                "properties": {
                  "date": {"$ref": "#/components/schemas/MarketDate"},
                  "open": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
                  "close": {"type": "string", "pattern": "^[0-9]{2}:[0-9]{2}$"},
                  "session_open": {"type": "string", "pattern": "^[0-9]{4}$"},
                  "session_close": {"type": "string", "pattern": "^[0-9]{4}$"},
                  "settlement_date": {"$ref": "#/components/schemas/MarketDate"}
                }
              },
              "CashActivity": {
                "type": "object",
                "additionalProperties": false,
                "required": ["activity_type", "id", "kind", "amount", "description", "occurred_at"],
                "properties": {
                  "activity_type": {"type": "string", "enum": ["cash"]},
                  "id": {"type": "integer", "format": "int64"},
                  "kind": {
                    "type": "string",
                    "enum": ["dividend", "cash_in_lieu", "option_cash_settlement", "account_reset", "fee", "adjustment"]
                  },
                  "amount": {"$ref": "#/components/schemas/Decimal"},
                  "symbol": {"type": "string"},
                  "description": {"type": "string"},
                  "occurred_at": {"$ref": "#/components/schemas/Instant"}
                }
              },
              "Decimal": {
                "type": "string",
                "pattern": "^-?[0-9]{1,12}\\.[0-9]{6}$",
                "description": "An exact decimal with six places, as a string",
                "examples": ["100000.000000"]
              },
              "Error": {
                "type": "object",
                "additionalProperties": false,
                "required": ["error"],
                "properties": {"error": {"$ref": "#/components/schemas/ErrorDetail"}}
              },
              "ErrorDetail": {
                "type": "object",
                "additionalProperties": false,
                "required": ["code", "message"],
                "properties": {
                  "code": {"type": "string", "description": "Stable, machine-readable"},
                  "message": {"type": "string", "description": "For people; may be reworded"}
                }
              },
              "FillActivity": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "activity_type", "id", "order_id", "symbol", "asset_class", "side", "qty", "price", "explanation", "slippage_basis",
                  "occurred_at"
                ],
                "properties": {
                  "activity_type": {"type": "string", "enum": ["fill"]},
                  "id": {"type": "integer", "format": "int64"},
                  "order_id": {"type": "integer", "format": "int64"},
                  "symbol": {"type": "string"},
                  "asset_class": {"type": "string", "enum": ["us_equity", "option"]},
                  "side": {"type": "string", "enum": ["buy", "sell"]},
                  "qty": {"$ref": "#/components/schemas/Decimal"},
                  "price": {"$ref": "#/components/schemas/Decimal"},
                  "fill_rule": {
                    "type": "string",
                    "enum": [
                      "market_at_quote", "market_at_session_open", "limit_marketable_at_quote", "limit_bar_open", "limit_bar_limit",
                      "limit_quote_fallback"
                    ]
                  },
                  "price_source": {"type": "string", "enum": ["ask", "bid", "mid", "bar_open", "limit"]},
                  "explanation": {"type": "string", "description": "How the price was reached, for people"},
                  "nbbo_bid": {"$ref": "#/components/schemas/Decimal"},
                  "nbbo_ask": {"$ref": "#/components/schemas/Decimal"},
                  "slippage_basis": {"$ref": "#/components/schemas/Decimal"},
                  "occurred_at": {"$ref": "#/components/schemas/Instant"}
                }
              },
              "Health": {
                "type": "object",
                "additionalProperties": false,
                "required": ["status"],
                "properties": {"status": {"type": "string", "enum": ["ok"]}}
              },
              "Instant": {
                "type": "string",
                "format": "date-time",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "description": "An RFC 3339 instant in UTC"
              },
              "MarketClock": {
                "type": "object",
                "additionalProperties": false,
                "required": ["timestamp", "is_open", "next_open", "next_close"],
                "properties": {
                  "timestamp": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}[+-][0-9]{2}:[0-9]{2}$"
                  },
                  "is_open": {"type": "boolean"},
                  "next_open": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"
                  },
                  "next_close": {
                    "type": "string",
                    "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}[+-][0-9]{2}:[0-9]{2}$"
                  }
                }
              },
              "MarketDate": {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
              "OptionChain": {
                "type": "object",
                "additionalProperties": false,
                "required": ["underlying", "expiry", "contracts"],
                "properties": {
                  "underlying": {"type": "string"},
                  "expiry": {"$ref": "#/components/schemas/MarketDate"},
                  "contracts": {"type": "array", "items": {"$ref": "#/components/schemas/OptionContract"}}
                }
              },
              "OptionContract": {
                "type": "object",
                "additionalProperties": false,
                "required": ["symbol", "right", "strike", "expiry"],
                "properties": {
                  "symbol": {"type": "string"},
                  "right": {"type": "string", "enum": ["call", "put"]},
                  "strike": {"$ref": "#/components/schemas/Decimal"},
                  "expiry": {"$ref": "#/components/schemas/MarketDate"},
                  "bid": {"$ref": "#/components/schemas/Decimal"},
                  "ask": {"$ref": "#/components/schemas/Decimal"},
                  "mid": {"$ref": "#/components/schemas/Decimal"},
                  "delta": {"$ref": "#/components/schemas/Decimal"},
                  "gamma": {"$ref": "#/components/schemas/Decimal"},
                  "theta": {"$ref": "#/components/schemas/Decimal"},
                  "vega": {"$ref": "#/components/schemas/Decimal"},
                  "implied_volatility": {"$ref": "#/components/schemas/Decimal"}
                }
              },
              "Order": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id", "symbol", "asset_class", "side", "qty", "order_type", "time_in_force", "status", "submitted_at"
                ],
                "properties": {
                  "id": {"type": "integer", "format": "int64"},
                  "symbol": {"type": "string"},
                  "asset_class": {"type": "string", "enum": ["us_equity", "option"]},
                  "side": {"type": "string", "enum": ["buy", "sell"]},
                  "qty": {"$ref": "#/components/schemas/Decimal"},
                  "order_type": {"type": "string", "enum": ["market", "limit"]},
                  "time_in_force": {"type": "string", "enum": ["day", "gtc", "ioc"]},
                  "limit_price": {"$ref": "#/components/schemas/Decimal"},
                  "status": {"type": "string", "enum": ["new", "accepted", "filled", "canceled", "rejected", "expired"]},
                  "submitted_at": {"$ref": "#/components/schemas/Instant"},
                  "filled_at": {"$ref": "#/components/schemas/Instant"},
                  "fill_price": {"$ref": "#/components/schemas/Decimal"},
                  "slippage_basis": {"$ref": "#/components/schemas/Decimal"},
                  "reject_reason": {"type": "string"},
                  "client_order_id": {"type": "string"},
                  "replaces_order_id": {"type": "integer", "format": "int64", "description": "The order this one replaced"},
                  "replaced_by_order_id": {"type": "integer", "format": "int64", "description": "The order that replaced this one"}
                }
              },
              "OrderPage": {
                "type": "object",
                "additionalProperties": false,
                "required": ["orders"],
                "properties": {
                  "orders": {"type": "array", "items": {"$ref": "#/components/schemas/Order"}},
                  "next_cursor": {
                    "type": "string",
                    "description": "Pass as before for the next (older) page; absent on the last page"
                  }
                }
              },
              "OrderTicket": {
                "type": "object",
                "required": ["symbol", "side", "qty", "order_type"],
                "properties": {
                  "symbol": {"type": "string"},
                  "side": {"type": "string", "enum": ["buy", "sell"]},
                  "qty": {"type": "string", "description": "A decimal string with up to six places"},
                  "order_type": {"type": "string", "enum": ["market", "limit"]},
                  "time_in_force": {"type": "string", "enum": ["day", "gtc", "ioc"], "default": "day"},
                  "limit_price": {"type": "string", "description": "Required for limit orders, refused for market orders"},
                  "client_order_id": {"type": "string", "description": "Makes the submission idempotent"}
                }
              },
              "OrderReplacement": {
                "type": "object",
                "description": "At least one field; any other field (symbol, side, order_type, client_order_id, …) is refused with 422",
                "properties": {
                  "qty": {"type": "string", "description": "A decimal string with up to six places"},
                  "limit_price": {"type": "string", "description": "Limit orders only"},
                  "time_in_force": {"type": "string", "enum": ["day", "gtc", "ioc"]}
                }
              },
              "Position": {
                "type": "object",
                "additionalProperties": false,
                "required": ["symbol", "asset_class", "side", "qty", "avg_cost", "market_value", "unrealized_pl", "opened_at"],
                "properties": {
                  "symbol": {"type": "string"},
                  "asset_class": {"type": "string", "enum": ["us_equity", "option"]},
                  "side": {"type": "string", "enum": ["long", "short"]},
                  "qty": {"$ref": "#/components/schemas/Decimal"},
                  "avg_cost": {"$ref": "#/components/schemas/Decimal"},
                  "current_price": {"$ref": "#/components/schemas/Decimal"},
                  "market_value": {"$ref": "#/components/schemas/Decimal"},
                  "unrealized_pl": {"$ref": "#/components/schemas/Decimal"},
                  "opened_at": {"$ref": "#/components/schemas/Instant"}
                }
              },
              "TradingStatus": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "now", "market_open", "bar_loop", "bars_caught_up", "symbols_caught_up", "delayed_fills_banner",
                  "delayed_fills_banner_bars"
                ],
                "properties": {
                  "now": {"$ref": "#/components/schemas/Instant"},
                  "market_open": {"type": "boolean"},
                  "last_bar_at": {"$ref": "#/components/schemas/Instant"},
                  "bars_caught_up": {"type": "integer"},
                  "symbols_caught_up": {"type": "integer"},
                  "delayed_fills_banner": {"type": "boolean"},
                  "delayed_fills_banner_bars": {"type": "integer"},
                  "bar_loop": {
                    "type": "object",
                    "additionalProperties": false,
                    "required": ["running"],
                    "properties": {
                      "running": {"type": "boolean", "description": "Whether this server process runs a bar loop"},
                      "state": {"type": "string", "enum": ["starting", "caught_up", "live", "failing"]},
                      "last_tick_at": {"$ref": "#/components/schemas/Instant"},
                      "last_bar_at": {"$ref": "#/components/schemas/Instant"},
                      "symbols": {"type": "integer"},
                      "last_error": {"type": "string"}
                    }
                  }
                }
              },
              "PositionList": {
                "type": "object",
                "additionalProperties": false,
                "required": ["positions"],
                "properties": {"positions": {"type": "array", "items": {"$ref": "#/components/schemas/Position"}}}
              },
              "Quote": {
                "type": "object",
                "additionalProperties": false,
                "required": ["symbol", "bid", "ask", "bid_size", "ask_size", "mid", "timestamp"],
                "properties": {
                  "symbol": {"type": "string"},
                  "bid": {"$ref": "#/components/schemas/Decimal"},
                  "ask": {"$ref": "#/components/schemas/Decimal"},
                  "bid_size": {"type": "integer", "format": "int64"},
                  "ask_size": {"type": "integer", "format": "int64"},
                  "mid": {"$ref": "#/components/schemas/Decimal"},
                  "timestamp": {"$ref": "#/components/schemas/Instant"}
                }
              },
              "QuoteMap": {
                "type": "object",
                "additionalProperties": false,
                "required": ["quotes"],
                "properties": {"quotes": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Quote"}}}
              },
              "Readiness": {
                "type": "object",
                "additionalProperties": false,
                "required": ["status", "schema_version"],
                "properties": {"status": {"type": "string", "enum": ["ready"]}, "schema_version": {"type": "integer"}}
              },
              "RejectedOrder": {
                "type": "object",
                "additionalProperties": false,
                "required": ["error", "order"],
                "properties": {
                  "error": {"$ref": "#/components/schemas/ErrorDetail"},
                  "order": {"$ref": "#/components/schemas/Order"}
                }
              },
              "TaxDisposition": {
                "type": "object",
                "additionalProperties": false,
                "description": "A piece of a lot sold (kind sale) or covered (kind cover), as Form 8949 reports it",
                "required": [
                  "disposition_id", "kind", "lot_method", "qty", "adjusted_acquired", "sold", "proceeds", "cost_basis",
                  "wash_sale_adjustment", "wash_sale_disallowed", "gain"
                ],
                "properties": {
                  "disposition_id": {"type": "integer", "format": "int64"},
                  "close_fill_id": {"type": "integer", "format": "int64"},
                  "kind": {
                    "type": "string",
                    "enum": ["sale", "cover", "expiry", "assignment", "exercise", "cash_settlement", "mark_to_market"]
                  },
                  "lot_method": {"type": "string", "enum": ["fifo", "lifo", "hifo", "specific_id"]},
                  "qty": {"$ref": "#/components/schemas/Decimal"},
                  "adjusted_acquired": {"$ref": "#/components/schemas/MarketDate"},
                  "sold": {"$ref": "#/components/schemas/MarketDate"},
                  "proceeds": {"$ref": "#/components/schemas/Decimal"},
                  "cost_basis": {"$ref": "#/components/schemas/Decimal", "description": "Includes wash_sale_adjustment"},
                  "wash_sale_adjustment": {"$ref": "#/components/schemas/Decimal"},
                  "wash_sale_disallowed": {"$ref": "#/components/schemas/Decimal", "description": "Form 8949 code W amount"},
                  "gain": {"$ref": "#/components/schemas/Decimal", "description": "proceeds - cost_basis + wash_sale_disallowed"},
                  "term": {"type": "string", "enum": ["short", "long", "section_1256"]},
                  "holding_days": {"type": "integer"},
                  "short_term_gain": {"$ref": "#/components/schemas/Decimal"},
                  "long_term_gain": {"$ref": "#/components/schemas/Decimal"},
                  "tax_year": {"type": "integer"}
                }
              },
              "TaxFigures": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "proceeds", "cost_basis", "short_term_gain", "long_term_gain", "wash_sale_disallowed", "section_1256_gain",
                  "section_1256_long_term", "section_1256_short_term", "net_short_term", "net_long_term", "net_gain"
                ],
                "properties": {
                  "proceeds": {"$ref": "#/components/schemas/Decimal"},
                  "cost_basis": {"$ref": "#/components/schemas/Decimal"},
                  "short_term_gain": {"$ref": "#/components/schemas/Decimal", "description": "Form 8949 Part I, after wash sales"},
                  "long_term_gain": {"$ref": "#/components/schemas/Decimal", "description": "Form 8949 Part II, after wash sales"},
                  "wash_sale_disallowed": {"$ref": "#/components/schemas/Decimal"},
                  "section_1256_gain": {"$ref": "#/components/schemas/Decimal", "description": "Form 6781"},
                  "section_1256_long_term": {"$ref": "#/components/schemas/Decimal", "description": "60 % of section_1256_gain"},
                  "section_1256_short_term": {"$ref": "#/components/schemas/Decimal", "description": "40 % of section_1256_gain"},
                  "net_short_term": {"$ref": "#/components/schemas/Decimal"},
                  "net_long_term": {"$ref": "#/components/schemas/Decimal"},
                  "net_gain": {"$ref": "#/components/schemas/Decimal"}
                }
              },
              "TaxLot": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "lot_id", "symbol", "asset_class", "side", "status", "qty", "remaining_qty", "multiplier", "acquired",
                  "adjusted_acquired", "cost_basis", "remaining_basis", "wash_sale_adjustment", "term", "section_1256",
                  "open_fill_id", "dispositions", "wash_sales"
                ],
                "properties": {
                  "lot_id": {"type": "string", "description": "The opening fill's id; N.M for part M split off by a wash sale"},
                  "symbol": {"type": "string"},
                  "asset_class": {"type": "string", "enum": ["us_equity", "option"]},
                  "side": {"type": "string", "enum": ["long", "short"]},
                  "status": {"type": "string", "enum": ["open", "closed"]},
                  "qty": {"$ref": "#/components/schemas/Decimal"},
                  "remaining_qty": {"$ref": "#/components/schemas/Decimal"},
                  "multiplier": {"type": "integer", "format": "int64"},
                  "acquired": {"$ref": "#/components/schemas/MarketDate"},
                  "adjusted_acquired": {"$ref": "#/components/schemas/MarketDate", "description": "Holding period start after wash-sale tacking"},
                  "cost_basis": {"$ref": "#/components/schemas/Decimal", "description": "Cost (long) or opening proceeds (short), without wash-sale adjustments"},
                  "remaining_basis": {"$ref": "#/components/schemas/Decimal"},
                  "wash_sale_adjustment": {"$ref": "#/components/schemas/Decimal", "description": "Losses deferred into this lot by wash sales"},
                  "lot_method": {"type": "string", "enum": ["fifo", "lifo", "hifo", "specific_id"], "description": "The method of the last sale from this lot"},
                  "term": {
                    "type": "string",
                    "enum": ["short", "long", "section_1256"],
                    "description": "Open lots: the term a sale today would have; closed lots: the last sale's"
                  },
                  "long_term_from": {"$ref": "#/components/schemas/MarketDate", "description": "Open long lots: first day a sale is long-term"},
                  "section_1256": {"type": "boolean"},
                  "closed": {"$ref": "#/components/schemas/MarketDate"},
                  "open_fill_id": {"type": "integer", "format": "int64"},
                  "dispositions": {"type": "array", "items": {"$ref": "#/components/schemas/TaxDisposition"}},
                  "wash_sales": {"type": "array", "items": {"$ref": "#/components/schemas/TaxWashSale"}}
                }
              },
              "TaxLotList": {
                "type": "object",
                "additionalProperties": false,
                "required": ["lots"],
                "properties": {"lots": {"type": "array", "items": {"$ref": "#/components/schemas/TaxLot"}}}
              },
              "TaxSummary": {
                "type": "object",
                "additionalProperties": false,
                "required": ["year", "total", "by_symbol"],
                "properties": {
                  "year": {"type": "integer"},
                  "total": {"$ref": "#/components/schemas/TaxFigures"},
                  "by_symbol": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/TaxFigures"}}
                }
              },
              "TaxWashSale": {
                "type": "object",
                "additionalProperties": false,
                "description": "A loss disallowed by a wash sale and moved into this lot, its replacement",
                "required": ["wash_sale_id", "loss_disposition_id", "qty", "disallowed_loss", "holding_days_carried"],
                "properties": {
                  "wash_sale_id": {"type": "integer", "format": "int64"},
                  "loss_disposition_id": {"type": "integer", "format": "int64"},
                  "loss_lot_id": {"type": "string"},
                  "loss_symbol": {"type": "string"},
                  "loss_date": {"$ref": "#/components/schemas/MarketDate"},
                  "qty": {"$ref": "#/components/schemas/Decimal", "description": "Share equivalents (a contract counts as 100)"},
                  "disallowed_loss": {"$ref": "#/components/schemas/Decimal"},
                  "holding_days_carried": {"type": "integer"}
                }
              }
            },
            "responses": {
              "BadRequest": {
                "description": "The body is not JSON, or not JSON of this endpoint's shape (invalid_json, bad_request), or a symbol is malformed (invalid_symbol)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Unauthorized": {
                "description": "No bearer token, or an unknown or revoked one",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                "headers": {"WWW-Authenticate": {"schema": {"type": "string"}}}
              },
              "NotFound": {
                "description": "No such resource, or paper trading is not enabled here (feature_disabled)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "MethodNotAllowed": {
                "description": "The path exists but not with this method",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                "headers": {"Allow": {"schema": {"type": "string"}}}
              },
              "Conflict": {
                "description": "The order is no longer open",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "PayloadTooLarge": {
                "description": "The body is larger than 64 KiB",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Unprocessable": {
                "description": "A parameter or field is out of range (validation_failed and the order-validation codes)",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "InternalError": {
                "description": "Something failed on the server; the log has the details",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "BadGateway": {
                "description": "The market data source refused the server's credentials or answered nonsense",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
              },
              "Unavailable": {
                "description": "Trading is switched off by the operator, the market data source is unavailable or rate-limited, or (for /ready) the database is not ready",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                "headers": {"Retry-After": {"schema": {"type": "string"}}}
              }
            }
          }
        }
        """#
}
