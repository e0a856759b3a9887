from django.urls import path
from oauth2_provider import views

# Only the token endpoint is measured; the authorization endpoint's codes are minted (management command mint).
urlpatterns = [path("o/token/", views.TokenView.as_view(), name="token")]
