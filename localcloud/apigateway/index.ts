export { ApiGatewayService, type ApiGatewayOptions } from "./api-gateway-service.ts";
