// Package deps pins, for `go mod tidy`, the modules the product is built on while the packages that use
// them are being written. It is removed once every module here is imported by real code.
package deps

import (
	_ "github.com/aws/aws-lambda-go/lambda"
	_ "github.com/aws/aws-sdk-go-v2/aws"
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	_ "github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	_ "github.com/aws/aws-sdk-go-v2/service/dynamodb"
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/aws/aws-sdk-go-v2/service/sesv2"
	_ "github.com/aws/aws-sdk-go-v2/service/sfn"
	_ "github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	_ "github.com/awslabs/goformation/v7"
	_ "github.com/go-playground/validator/v10"
	_ "github.com/google/go-cmp/cmp"
	_ "github.com/jhillyerd/enmime/v2"
	_ "github.com/rickar/cal/v2"
	_ "github.com/rickar/cal/v2/gb"
	_ "gopkg.in/yaml.v3"
	_ "modernc.org/sqlite"
)
