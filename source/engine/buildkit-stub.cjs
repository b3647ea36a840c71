// Stands in for @grpc/grpc-js, @grpc/proto-loader and protobufjs in the bundle. dockerode
// requires them for BuildKit sessions and builds, which netmigrate never uses; leaving them out
// saves a megabyte of code that every command would otherwise parse (see package.json "build").
module.exports = {};
