/// The OpenAPI 3.1 document of Rotor's HTTP API, served at `GET /openapi.json`.
///
/// `OpenAPITests` keeps it equal to the router (every route documented, every documented route served) and
/// validates it with openapi-spec-validator.
enum OpenAPIDocument {
    static let json = #"""
{
 "components": {
  "schemas": {
   "AuthorizationServerMetadata": {
    "properties": {
     "dpop_signing_alg_values_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "grant_types_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "introspection_endpoint": {
      "type": "string"
     },
     "introspection_endpoint_auth_methods_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "issuer": {
      "type": "string"
     },
     "jwks_uri": {
      "type": "string"
     },
     "response_types_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "revocation_endpoint": {
      "type": "string"
     },
     "revocation_endpoint_auth_methods_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "rotor_revocation_feed_endpoint": {
      "type": "string"
     },
     "scopes_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "token_endpoint": {
      "type": "string"
     },
     "token_endpoint_auth_methods_supported": {
      "items": {
       "type": "string"
      },
      "type": "array"
     }
    },
    "required": [
     "issuer",
     "token_endpoint",
     "jwks_uri",
     "response_types_supported"
    ],
    "type": "object"
   },
   "EmailChangeRequest": {
    "properties": {
     "new_email": {
      "type": "string"
     },
     "password": {
      "type": "string"
     },
     "token_delivery": {
      "enum": [
       "body",
       "cookie"
      ],
      "type": "string"
     }
    },
    "required": [
     "password",
     "new_email"
    ],
    "type": "object"
   },
   "ErrorBody": {
    "properties": {
     "error": {
      "enum": [
       "invalid_request",
       "invalid_credentials",
       "invalid_grant",
       "invalid_token",
       "account_disabled",
       "forbidden",
       "not_found",
       "email_taken",
       "payload_too_large",
       "unsupported_media_type",
       "rate_limited",
       "server_error",
       "unsupported_grant_type",
       "invalid_client",
       "invalid_dpop_proof"
      ],
      "type": "string"
     },
     "error_description": {
      "type": "string"
     }
    },
    "required": [
     "error",
     "error_description"
    ],
    "type": "object"
   },
   "EventList": {
    "properties": {
     "events": {
      "items": {
       "properties": {
        "at": {
         "description": "RFC 3339, UTC",
         "format": "date-time",
         "type": "string"
        },
        "cause": {
         "type": [
          "string",
          "null"
         ]
        },
        "ip": {
         "type": [
          "string",
          "null"
         ]
        },
        "session_id": {
         "type": [
          "string",
          "null"
         ]
        },
        "type": {
         "type": "string"
        },
        "user_agent": {
         "type": [
          "string",
          "null"
         ]
        }
       },
       "required": [
        "type",
        "at"
       ],
       "type": "object"
      },
      "type": "array"
     }
    },
    "required": [
     "events"
    ],
    "type": "object"
   },
   "Health": {
    "properties": {
     "status": {
      "enum": [
       "ok",
       "unavailable"
      ],
      "type": "string"
     }
    },
    "required": [
     "status"
    ],
    "type": "object"
   },
   "IntrospectionResponse": {
    "properties": {
     "active": {
      "type": "boolean"
     },
     "aud": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "client_id": {
      "type": "string"
     },
     "cnf": {
      "properties": {
       "jkt": {
        "type": "string"
       }
      },
      "required": [
       "jkt"
      ],
      "type": "object"
     },
     "exp": {
      "type": "integer"
     },
     "iat": {
      "type": "integer"
     },
     "iss": {
      "type": "string"
     },
     "jti": {
      "type": "string"
     },
     "roles": {
      "items": {
       "type": "string"
      },
      "type": "array"
     },
     "scope": {
      "type": "string"
     },
     "sid": {
      "type": "string"
     },
     "sub": {
      "type": "string"
     },
     "token_type": {
      "type": "string"
     }
    },
    "required": [
     "active"
    ],
    "type": "object"
   },
   "JWKSet": {
    "properties": {
     "keys": {
      "items": {
       "properties": {
        "alg": {
         "type": "string"
        },
        "crv": {
         "type": "string"
        },
        "e": {
         "type": "string"
        },
        "kid": {
         "type": "string"
        },
        "kty": {
         "type": "string"
        },
        "n": {
         "type": "string"
        },
        "use": {
         "type": "string"
        },
        "x": {
         "type": "string"
        },
        "y": {
         "type": "string"
        }
       },
       "required": [
        "kty",
        "use",
        "alg",
        "kid"
       ],
       "type": "object"
      },
      "type": "array"
     }
    },
    "required": [
     "keys"
    ],
    "type": "object"
   },
   "LoginRequest": {
    "properties": {
     "device_id": {
      "type": "string"
     },
     "device_name": {
      "type": "string"
     },
     "email": {
      "type": "string"
     },
     "password": {
      "type": "string"
     },
     "token_delivery": {
      "description": "cookie: the refresh token is set only as the HttpOnly cookie rotor_refresh",
      "enum": [
       "body",
       "cookie"
      ],
      "type": "string"
     }
    },
    "required": [
     "email",
     "password"
    ],
    "type": "object"
   },
   "LogoutRequest": {
    "properties": {
     "refresh_token": {
      "type": "string"
     },
     "scope": {
      "enum": [
       "local",
       "others",
       "global"
      ],
      "type": "string"
     }
    },
    "required": [],
    "type": "object"
   },
   "PasswordChangeRequest": {
    "properties": {
     "current_password": {
      "type": "string"
     },
     "new_password": {
      "type": "string"
     },
     "token_delivery": {
      "enum": [
       "body",
       "cookie"
      ],
      "type": "string"
     }
    },
    "required": [
     "current_password",
     "new_password"
    ],
    "type": "object"
   },
   "RefreshRequest": {
    "properties": {
     "device_id": {
      "type": "string"
     },
     "refresh_token": {
      "type": "string"
     }
    },
    "required": [],
    "type": "object"
   },
   "SessionList": {
    "properties": {
     "sessions": {
      "items": {
       "properties": {
        "created_at": {
         "description": "RFC 3339, UTC",
         "format": "date-time",
         "type": "string"
        },
        "current": {
         "type": "boolean"
        },
        "device_name": {
         "type": [
          "string",
          "null"
         ]
        },
        "expires_at": {
         "description": "RFC 3339, UTC",
         "format": "date-time",
         "type": "string"
        },
        "id": {
         "type": "string"
        },
        "ip": {
         "type": [
          "string",
          "null"
         ]
        },
        "last_used_at": {
         "description": "RFC 3339, UTC",
         "format": "date-time",
         "type": "string"
        },
        "user_agent": {
         "type": [
          "string",
          "null"
         ]
        }
       },
       "required": [
        "id",
        "created_at",
        "last_used_at",
        "expires_at",
        "current"
       ],
       "type": "object"
      },
      "type": "array"
     }
    },
    "required": [
     "sessions"
    ],
    "type": "object"
   },
   "SignupRequest": {
    "properties": {
     "email": {
      "type": "string"
     },
     "password": {
      "description": "8 to 1024 bytes",
      "type": "string"
     }
    },
    "required": [
     "email",
     "password"
    ],
    "type": "object"
   },
   "TokenResponse": {
    "properties": {
     "access_token": {
      "type": "string"
     },
     "expires_in": {
      "type": "integer"
     },
     "refresh_token": {
      "type": "string"
     },
     "refresh_token_expires_in": {
      "type": "integer"
     },
     "session_id": {
      "type": "string"
     },
     "token_type": {
      "enum": [
       "Bearer",
       "DPoP"
      ],
      "type": "string"
     }
    },
    "required": [
     "access_token",
     "token_type",
     "expires_in",
     "refresh_token_expires_in",
     "session_id"
    ],
    "type": "object"
   },
   "User": {
    "properties": {
     "created_at": {
      "description": "RFC 3339, UTC",
      "format": "date-time",
      "type": "string"
     },
     "email": {
      "format": "email",
      "type": "string"
     },
     "id": {
      "type": "string"
     },
     "roles": {
      "items": {
       "type": "string"
      },
      "type": "array"
     }
    },
    "required": [
     "id",
     "email",
     "created_at"
    ],
    "type": "object"
   }
  },
  "securitySchemes": {
   "accessToken": {
    "bearerFormat": "JWT",
    "scheme": "bearer",
    "type": "http"
   },
   "introspectionSecret": {
    "description": "ROTOR_INTROSPECTION_SECRET",
    "scheme": "bearer",
    "type": "http"
   }
  }
 },
 "info": {
  "description": "Rotor: short-lived JWT access tokens, rotating refresh tokens with reuse detection. Errors are always {\"error\", \"error_description\"}.",
  "title": "Rotor",
  "version": "1.0.0"
 },
 "openapi": "3.1.0",
 "paths": {
  "/.well-known/jwks.json": {
   "get": {
    "operationId": "jwks",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/JWKSet"
        }
       }
      },
      "description": "The JWK Set; Cache-Control: max-age."
     }
    },
    "summary": "The public signing keys",
    "tags": [
     "discovery"
    ]
   }
  },
  "/.well-known/oauth-authorization-server": {
   "get": {
    "operationId": "metadata",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/AuthorizationServerMetadata"
        }
       }
      },
      "description": "Metadata."
     }
    },
    "summary": "RFC 8414 metadata",
    "tags": [
     "discovery"
    ]
   }
  },
  "/account": {
   "get": {
    "operationId": "accountPage",
    "responses": {
     "200": {
      "content": {
       "text/html": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "The page; strict Content-Security-Policy, no framing."
     }
    },
    "summary": "The account page: sign in (cookie mode), devices, password, security events",
    "tags": [
     "account"
    ]
   }
  },
  "/account/app.js": {
   "get": {
    "operationId": "accountScript",
    "responses": {
     "200": {
      "content": {
       "text/javascript": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "JavaScript."
     }
    },
    "summary": "The account page's script",
    "tags": [
     "account"
    ]
   }
  },
  "/account/style.css": {
   "get": {
    "operationId": "accountStyle",
    "responses": {
     "200": {
      "content": {
       "text/css": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "CSS."
     }
    },
    "summary": "The account page's style sheet",
    "tags": [
     "account"
    ]
   }
  },
  "/healthz": {
   "get": {
    "operationId": "healthz",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      },
      "description": "Alive."
     }
    },
    "summary": "Liveness",
    "tags": [
     "operations"
    ]
   }
  },
  "/metrics": {
   "get": {
    "operationId": "metrics",
    "responses": {
     "200": {
      "content": {
       "text/plain": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "Prometheus text format 0.0.4."
     }
    },
    "summary": "Prometheus metrics",
    "tags": [
     "operations"
    ]
   }
  },
  "/oauth/introspect": {
   "post": {
    "operationId": "oauthIntrospect",
    "requestBody": {
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "properties": {
         "token": {
          "type": "string"
         },
         "token_type_hint": {
          "type": "string"
         }
        },
        "required": [
         "token"
        ],
        "type": "object"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/IntrospectionResponse"
        }
       }
      },
      "description": "Active with claims, or only {\"active\": false}."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Not a well-formed request."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_client: the introspection secret is missing or wrong."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Over 64 KiB."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "introspectionSecret": []
     }
    ],
    "summary": "RFC 7662 introspection",
    "tags": [
     "oauth"
    ]
   }
  },
  "/oauth/revoke": {
   "post": {
    "operationId": "oauthRevoke",
    "requestBody": {
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "properties": {
         "token": {
          "type": "string"
         },
         "token_type_hint": {
          "type": "string"
         }
        },
        "required": [
         "token"
        ],
        "type": "object"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "description": "Done, whatever the token."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Not a well-formed request."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Over 64 KiB."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "summary": "RFC 7009 revocation",
    "tags": [
     "oauth"
    ]
   }
  },
  "/oauth/token": {
   "post": {
    "operationId": "oauthToken",
    "parameters": [
     {
      "in": "header",
      "name": "X-Device-Id",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "RFC 9449 proof: binds a new session to the key (login), or proves possession of the session's key (refresh). A bad proof is 400 invalid_dpop_proof.",
      "in": "header",
      "name": "DPoP",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/x-www-form-urlencoded": {
       "schema": {
        "properties": {
         "client_id": {
          "type": "string"
         },
         "grant_type": {
          "enum": [
           "refresh_token"
          ],
          "type": "string"
         },
         "refresh_token": {
          "type": "string"
         }
        },
        "required": [
         "grant_type",
         "refresh_token"
        ],
        "type": "object"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      },
      "description": "Token response."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "RFC 6749 \u00a75.2: invalid_request, invalid_grant or unsupported_grant_type."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_client."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Over 64 KiB."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "summary": "RFC 6749 \u00a76 refresh grant",
    "tags": [
     "oauth"
    ]
   }
  },
  "/openapi.json": {
   "get": {
    "operationId": "openapi",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "type": "object"
        }
       }
      },
      "description": "OpenAPI 3.1."
     }
    },
    "summary": "This document",
    "tags": [
     "discovery"
    ]
   }
  },
  "/readyz": {
   "get": {
    "operationId": "readyz",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      },
      "description": "Ready."
     },
     "503": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Health"
        }
       }
      },
      "description": "The store is unreachable."
     }
    },
    "summary": "Readiness: the store answers",
    "tags": [
     "operations"
    ]
   }
  },
  "/v1/admin/users/{id}/disable": {
   "post": {
    "operationId": "disableUser",
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Disabled."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The admin role is missing."
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "No such user."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "Disable a user; every session ends",
    "tags": [
     "admin"
    ]
   }
  },
  "/v1/admin/users/{id}/enable": {
   "post": {
    "operationId": "enableUser",
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Enabled."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The admin role is missing."
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "No such user."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "Enable a user",
    "tags": [
     "admin"
    ]
   }
  },
  "/v1/admin/users/{id}/sessions": {
   "delete": {
    "operationId": "revokeUserSessions",
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Ended."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The admin role is missing."
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "No such user."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "End every session of a user",
    "tags": [
     "admin"
    ]
   }
  },
  "/v1/auth/login": {
   "post": {
    "operationId": "login",
    "parameters": [
     {
      "description": "RFC 9449 proof: binds a new session to the key (login), or proves possession of the session's key (refresh). A bad proof is 400 invalid_dpop_proof.",
      "in": "header",
      "name": "DPoP",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/LoginRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      },
      "description": "The first token pair of a new session."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Unknown email or wrong password (invalid_credentials)."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The account is disabled (account_disabled)."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "429": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Too many failed logins (rate_limited); see Retry-After."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "summary": "Log in: start a session (a DPoP proof binds it to the client's key)",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/auth/logout": {
   "post": {
    "operationId": "logout",
    "parameters": [
     {
      "in": "cookie",
      "name": "rotor_refresh",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/LogoutRequest"
       }
      }
     },
     "required": false
    },
    "responses": {
     "204": {
      "description": "Done (also for an unknown, used or revoked refresh token); in cookie mode the cookie is cleared."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A bad access token."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A cookie request from an Origin that is not allowed."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "security": [
     {},
     {
      "accessToken": []
     }
    ],
    "summary": "End sessions (scope local, others or global)",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/auth/token/refresh": {
   "post": {
    "operationId": "refresh",
    "parameters": [
     {
      "in": "header",
      "name": "X-Device-Id",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "in": "cookie",
      "name": "rotor_refresh",
      "required": false,
      "schema": {
       "type": "string"
      }
     },
     {
      "description": "RFC 9449 proof: binds a new session to the key (login), or proves possession of the session's key (refresh). A bad proof is 400 invalid_dpop_proof.",
      "in": "header",
      "name": "DPoP",
      "required": false,
      "schema": {
       "type": "string"
      }
     }
    ],
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/RefreshRequest"
       }
      }
     },
     "required": false
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      },
      "description": "A fresh access token and the session's current refresh token (in cookie mode only in Set-Cookie)."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_grant: unknown, expired, revoked, reused or bound elsewhere; the description says why."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A cookie request from an Origin that is not allowed."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "summary": "Rotate a refresh token (from the body, or the rotor_refresh cookie with an allowed Origin)",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/me": {
   "get": {
    "operationId": "me",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      },
      "description": "The account."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "The caller's account",
    "tags": [
     "accounts"
    ]
   }
  },
  "/v1/me/email": {
   "post": {
    "operationId": "changeEmail",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/EmailChangeRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      },
      "description": "A token pair for a new session."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token or invalid_credentials."
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The email is in use."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "Change the email address; every session ends",
    "tags": [
     "accounts"
    ]
   }
  },
  "/v1/me/events": {
   "get": {
    "operationId": "events",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/EventList"
        }
       }
      },
      "description": "Events."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "The caller's security events, newest first",
    "tags": [
     "accounts"
    ]
   }
  },
  "/v1/me/password": {
   "post": {
    "operationId": "changePassword",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/PasswordChangeRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/TokenResponse"
        }
       }
      },
      "description": "A token pair for a new session."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token, or invalid_credentials for a wrong current password."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "Change the password; every session ends",
    "tags": [
     "accounts"
    ]
   }
  },
  "/v1/revocations": {
   "get": {
    "operationId": "revocations",
    "parameters": [
     {
      "description": "seconds since 1970; older values are raised to the horizon",
      "in": "query",
      "name": "since",
      "required": false,
      "schema": {
       "type": "integer"
      }
     }
    ],
    "responses": {
     "200": {
      "content": {
       "application/jwt": {
        "schema": {
         "type": "string"
        }
       }
      },
      "description": "A compact JWS whose claims are {iss, iat, since, horizon, revoked: [{sid, at}]}."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "since is not whole seconds."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "summary": "Sessions ended within the last access-token lifetime, as a JWT signed by the current key (typ revocations+jwt)",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/sessions": {
   "get": {
    "operationId": "listSessions",
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/SessionList"
        }
       }
      },
      "description": "Sessions."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "The caller's live sessions, newest first",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/sessions/{id}": {
   "delete": {
    "operationId": "revokeSession",
    "parameters": [
     {
      "in": "path",
      "name": "id",
      "required": true,
      "schema": {
       "type": "string"
      }
     }
    ],
    "responses": {
     "204": {
      "description": "Ended."
     },
     "401": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "invalid_token."
     },
     "404": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "No such live session of the caller."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault."
     }
    },
    "security": [
     {
      "accessToken": []
     }
    ],
    "summary": "End one of the caller's sessions",
    "tags": [
     "sessions"
    ]
   }
  },
  "/v1/users": {
   "post": {
    "operationId": "signUp",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "$ref": "#/components/schemas/SignupRequest"
       }
      }
     },
     "required": true
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/User"
        }
       }
      },
      "description": "The account."
     },
     "400": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Malformed input; the description names the field."
     },
     "403": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "Sign-up is disabled."
     },
     "409": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The email is in use."
     },
     "413": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is over 64 KiB."
     },
     "415": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "The body is not JSON."
     },
     "500": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/ErrorBody"
        }
       }
      },
      "description": "A fault of the server; never with details."
     }
    },
    "summary": "Create an account",
    "tags": [
     "accounts"
    ]
   }
  }
 },
 "servers": [
  {
   "url": "http://127.0.0.1:8080"
  }
 ]
}
"""#
}
