// Command hello is the anchor of BenchmarkInit: the smallest aws-lambda-go function, built the same way.
package main

import (
	"context"

	"github.com/aws/aws-lambda-go/lambda"
)

func main() {
	lambda.Start(func(context.Context) error { return nil })
}
